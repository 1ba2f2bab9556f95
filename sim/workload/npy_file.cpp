#include "sim/workload/npy_file.h"

#include <cstring>
#include <regex>
#include <sstream>

#include "sim/config/config_error.h"
#include "sim/config/file_text.h"

namespace pjsim {
namespace {

[[noreturn]] void Bad(const std::string& path, const std::string& what) {
  throw ConfigError({path, 0, 0}, what);
}

size_t ElementBytes(const std::string& descr) {
  if (descr == "<f8") return 8;
  if (descr == "<f4") return 4;
  return 1;
}

}  // namespace

std::int64_t NpyArray::size() const {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

double NpyArray::At(std::int64_t i) const {
  const auto at = static_cast<size_t>(i) * ElementBytes(descr);
  if (descr == "<f8") {
    double v;
    std::memcpy(&v, data.data() + at, sizeof v);
    return v;
  }
  if (descr == "<f4") {
    float v;
    std::memcpy(&v, data.data() + at, sizeof v);
    return static_cast<double>(v);
  }
  return static_cast<double>(static_cast<unsigned char>(data[at]));
}

NpyArray LoadNpy(const std::string& path, const std::vector<std::string>& allowed_dtypes) {
  std::string bytes;
  try {
    bytes = ReadInputFile(path);
  } catch (const ConfigError& e) {
    Bad(path, e.message());
  }
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) {
    Bad(path, "not a .npy file (missing \\x93NUMPY magic)");
  }
  const auto major = static_cast<unsigned char>(bytes[6]);
  size_t header_len = 0, offset = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) |
                 static_cast<size_t>(static_cast<unsigned char>(bytes[9])) << 8;
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) Bad(path, "truncated header");
    for (size_t i = 0; i < 4; ++i) {
      header_len |= static_cast<size_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
    }
    offset = 12;
  } else {
    Bad(path, "unsupported .npy version " + std::to_string(major));
  }
  if (bytes.size() < offset + header_len) Bad(path, "truncated header");
  const std::string header = bytes.substr(offset, header_len);
  NpyArray a;
  a.path = path;
  std::smatch m;
  if (!std::regex_search(header, m, std::regex(R"('descr'\s*:\s*'([^']*)')"))) {
    Bad(path, "header has no 'descr'");
  }
  a.descr = m[1];
  if (a.descr == "u1" || a.descr == "<u1") a.descr = "|u1";
  bool allowed = false;
  std::string names;
  for (const auto& d : allowed_dtypes) {
    allowed = allowed || d == a.descr;
    names += (names.empty() ? "" : ", ") + d;
  }
  if (!allowed) Bad(path, "dtype '" + a.descr + "' is not one of " + names);
  if (!std::regex_search(header, m, std::regex(R"('fortran_order'\s*:\s*(True|False))"))) {
    Bad(path, "header has no 'fortran_order'");
  }
  if (m[1] == "True") Bad(path, "Fortran-order arrays are not supported (save with C order)");
  if (!std::regex_search(header, m, std::regex(R"('shape'\s*:\s*\(([^)]*)\))"))) {
    Bad(path, "header has no 'shape'");
  }
  std::stringstream dims(m[1]);
  for (std::string d; std::getline(dims, d, ',');) {
    d.erase(0, d.find_first_not_of(" \t"));
    d.erase(d.find_last_not_of(" \t") + 1);
    if (d.empty()) continue;
    try {
      const std::int64_t v = std::stoll(d);
      if (v <= 0 || v > (std::int64_t{1} << 32)) Bad(path, "shape entries must be in [1, 2^32]");
      a.shape.push_back(v);
    } catch (const std::logic_error&) {
      Bad(path, "bad shape entry '" + d + "'");
    }
  }
  const size_t data = offset + header_len;
  const auto expected = static_cast<size_t>(a.size()) * ElementBytes(a.descr);
  if (bytes.size() - data < expected) {
    Bad(path, "truncated: header promises " + std::to_string(expected) + " data bytes, file has " +
                  std::to_string(bytes.size() - data));
  }
  a.data = bytes.substr(data, expected);
  return a;
}

}  // namespace pjsim

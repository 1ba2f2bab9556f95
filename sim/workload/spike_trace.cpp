#include "sim/workload/spike_trace.h"

#include "sim/config/file_text.h"

#include <regex>
#include <sstream>

namespace pjsim {
namespace {

[[noreturn]] void Bad(const std::string& path, const std::string& what) {
  throw ConfigError({path, 0, 0}, "spike trace: " + what);
}

}  // namespace

std::shared_ptr<const SpikeTrace> SpikeTrace::Load(const std::string& path) {
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
    header_len = static_cast<unsigned char>(bytes[8]) | static_cast<size_t>(static_cast<unsigned char>(bytes[9])) << 8;
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) Bad(path, "truncated header");
    for (int i = 0; i < 4; ++i) header_len |= static_cast<size_t>(static_cast<unsigned char>(bytes[8 + static_cast<size_t>(i)])) << (8 * i);
    offset = 12;
  } else {
    Bad(path, "unsupported .npy version " + std::to_string(major));
  }
  if (bytes.size() < offset + header_len) Bad(path, "truncated header");
  const std::string header = bytes.substr(offset, header_len);
  std::smatch m;
  if (!std::regex_search(header, m, std::regex(R"('descr'\s*:\s*'([^']*)')"))) Bad(path, "header has no 'descr'");
  const std::string descr = m[1];
  if (descr != "|b1" && descr != "|u1" && descr != "<u1" && descr != "u1") {
    Bad(path, "dtype '" + descr + "' is not bool or uint8");
  }
  if (!std::regex_search(header, m, std::regex(R"('fortran_order'\s*:\s*(True|False))"))) {
    Bad(path, "header has no 'fortran_order'");
  }
  if (m[1] == "True") Bad(path, "Fortran-order arrays are not supported (save with C order)");
  if (!std::regex_search(header, m, std::regex(R"('shape'\s*:\s*\(([^)]*)\))"))) Bad(path, "header has no 'shape'");
  std::vector<std::int64_t> shape;
  std::stringstream dims(m[1]);
  for (std::string d; std::getline(dims, d, ',');) {
    d.erase(0, d.find_first_not_of(" \t"));
    d.erase(d.find_last_not_of(" \t") + 1);
    if (d.empty()) continue;
    try {
      shape.push_back(std::stoll(d));
    } catch (const std::exception&) {
      Bad(path, "bad shape entry '" + d + "'");
    }
  }
  if (shape.size() != 3) Bad(path, "shape must be (timesteps, rows, inputs), got " + std::to_string(shape.size()) + " dimensions");
  for (auto d : shape) {
    if (d <= 0) Bad(path, "shape entries must be positive");
  }
  auto t = std::make_shared<SpikeTrace>();
  t->path_ = path;
  t->timesteps_ = shape[0];
  t->rows_ = shape[1];
  t->cols_ = shape[2];
  if (t->timesteps_ > 65535) Bad(path, "more than 65535 timesteps");
  const size_t data = offset + header_len;
  const auto expected = static_cast<size_t>(shape[0] * shape[1] * shape[2]);
  if (bytes.size() - data < expected) {
    Bad(path, "truncated: header promises " + std::to_string(expected) + " data bytes, file has " +
                  std::to_string(bytes.size() - data));
  }
  const auto rows = static_cast<size_t>(t->rows_), cols = static_cast<size_t>(t->cols_);
  t->counts_.assign(rows * cols, 0);
  for (size_t i = 0; i < expected; ++i) {
    const auto v = static_cast<unsigned char>(bytes[data + i]);
    if (v > 1) Bad(path, "value " + std::to_string(v) + " at element " + std::to_string(i) + " is not 0 or 1");
    t->counts_[i % (rows * cols)] = static_cast<std::uint16_t>(t->counts_[i % (rows * cols)] + v);
  }
  t->prefix_.assign((rows + 1) * (cols + 1), 0);
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < cols; ++c) {
      t->prefix_[(r + 1) * (cols + 1) + c + 1] = t->counts_[r * cols + c] + t->prefix_[r * (cols + 1) + c + 1] +
                                                  t->prefix_[(r + 1) * (cols + 1) + c] - t->prefix_[r * (cols + 1) + c];
    }
  }
  return t;
}

std::int64_t SpikeTrace::SpikesIn(std::int64_t r0, std::int64_t nr, std::int64_t c0, std::int64_t nc) const {
  const auto w = static_cast<size_t>(cols_ + 1);
  const auto P = [&](std::int64_t r, std::int64_t c) { return prefix_[static_cast<size_t>(r) * w + static_cast<size_t>(c)]; };
  return P(r0 + nr, c0 + nc) - P(r0, c0 + nc) - P(r0 + nr, c0) + P(r0, c0);
}

std::int64_t SpikeTrace::ActiveInputs(std::int64_t r0, std::int64_t nr, std::int64_t c0, std::int64_t nc) const {
  std::int64_t active = 0;
  for (std::int64_t c = c0; c < c0 + nc; ++c) {
    if (SpikesIn(r0, nr, c, 1) > 0) ++active;
  }
  return active;
}

std::int64_t SpikeTrace::TotalSpikes() const { return SpikesIn(0, rows_, 0, cols_); }

}  // namespace pjsim

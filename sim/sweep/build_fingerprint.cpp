#include "sim/sweep/build_fingerprint.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <vector>

namespace pjsim::sweep {

std::string FileFingerprint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  // FNV-1a's offset and prime over 8-byte words (a 100 MB executable in tens of milliseconds;
  // byte by byte it took half a second at every sweep's start), the tail byte by byte.
  constexpr std::uint64_t kPrime = 0x100000001b3ULL;
  std::uint64_t h = 0xcbf29ce484222325ULL;
  std::vector<char> buffer(std::size_t{1} << 20);
  std::uint64_t length = 0;
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    length += got;
    std::size_t i = 0;
    for (; i + 8 <= got; i += 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, buffer.data() + i, 8);
      h = (h ^ word) * kPrime;
    }
    for (; i < got; ++i) h = (h ^ static_cast<unsigned char>(buffer[i])) * kPrime;
  }
  if (in.bad()) return "";
  h = (h ^ length) * kPrime;
  std::array<char, 17> hex{};
  std::snprintf(hex.data(), hex.size(), "%016llx", static_cast<unsigned long long>(h));
  return hex.data();
}

const std::string& ThisBuildFingerprint() {
  static const std::string fingerprint = [] {
    const std::string h = FileFingerprint("/proc/self/exe");
    return h.empty() ? std::string("unknown") : h;
  }();
  return fingerprint;
}

}  // namespace pjsim::sweep

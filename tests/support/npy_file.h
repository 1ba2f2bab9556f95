#pragma once
// Writes a version-1.0 NumPy .npy file (the spike-trace format) for tests: the header dict,
// padded so that the data starts on a 64-byte boundary, then the raw data.
#include <fstream>
#include <string>

namespace pjsim::test {

inline void WriteNpy(const std::string& path, const std::string& dict, const std::string& data) {
  std::string header = dict;
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::ofstream out(path, std::ios::binary);
  out << "\x93NUMPY" << '\x01' << '\x00';
  out.put(static_cast<char>(header.size() & 0xff));
  out.put(static_cast<char>(header.size() >> 8));
  out << header << data;
}

}  // namespace pjsim::test

#pragma once
// Minimal reader for NumPy .npy files (format versions 1.0, 2.0, 3.0; C order only), enough
// for spike trains (bool/uint8) and rate vectors or real-valued inputs (float32/float64). Errors
// are ConfigErrors naming the file: bad magic, truncated header or data, Fortran order, or an
// unsupported dtype.
#include <cstdint>
#include <string>
#include <vector>

namespace pjsim {

struct NpyArray {
  std::string path;
  std::string descr;  // numpy dtype string, e.g. "|u1", "<f4"
  std::vector<std::int64_t> shape;
  std::string data;  // raw little-endian element bytes, C order

  std::int64_t size() const;  // number of elements
  // Element i as a double (bool/uint8/float32/float64).
  double At(std::int64_t i) const;
};

// Loads `path`; `allowed_dtypes` lists the accepted descr strings (e.g. {"|b1", "|u1"}).
NpyArray LoadNpy(const std::string& path, const std::vector<std::string>& allowed_dtypes);

}  // namespace pjsim

#include "sim/report/progress_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace pjsim {

std::string SiText(double value) {
  static const char* const kPrefixes[] = {"", "k", "M", "G", "T", "P", "E"};
  int p = 0;
  while (std::fabs(value) >= 999.5 && p < 6) {
    value /= 1000;
    ++p;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g %s", value, kPrefixes[p]);
  return buf;
}

std::string DurationText(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  }
  return buf;
}

}  // namespace pjsim

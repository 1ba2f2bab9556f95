#pragma once
// Figures as progress lines show them (a run's progress and a sweep's).
#include <string>

namespace pjsim {

// "1.23 G" style: three significant digits and an SI prefix.
std::string SiText(double value);
// "1:05" or "1:02:05".
std::string DurationText(double seconds);

}  // namespace pjsim

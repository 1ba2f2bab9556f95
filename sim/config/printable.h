#pragma once
// Text from an input file echoed in an error message. A message is one printable line, so a
// token is cut to a few dozen bytes (a 50 MB token from a corrupt trace must not be copied to
// stderr) and every byte that is not printable ASCII is shown as \xNN.
#include <cstddef>
#include <string>
#include <string_view>

namespace pjsim {

inline constexpr size_t kMaxEchoedToken = 64;

// `text` with non-printable bytes escaped, cut after `max` bytes ("...(N bytes)").
std::string PrintableToken(std::string_view text, size_t max = kMaxEchoedToken);

// A whole message made one printable line: control bytes escaped, cut after `max` bytes.
std::string PrintableLine(std::string_view text, size_t max);

}  // namespace pjsim

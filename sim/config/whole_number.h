#pragma once
// A field of another simulator's file read as a whole number: all of it, no sign but '-', no
// spaces (the caller trims), no fraction; nothing when it is not one or does not fit.
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace pjsim {

inline std::optional<std::int64_t> ParseWholeNumber(std::string_view text) {
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace pjsim

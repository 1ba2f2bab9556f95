#pragma once
// FNV-1a 64-bit: a tiny, stable, dependency-free hash. Point config hashes must not change across
// runs, builds or machines, which rules out std::hash.
#include <cstdint>
#include <string>
#include <string_view>

namespace pjsim::sweep {

std::uint64_t Fnv1a64(std::string_view text);

// 16 lowercase hex digits.
std::string Fnv1a64Hex(std::string_view text);

}  // namespace pjsim::sweep

#pragma once
// Which pjsim build made a sweep point: a hash of the running executable's bytes. A store resumed
// by another build runs that build's points again (result_store.h): a rebuilt simulator may model
// differently, and a results table mixing two models' numbers would trace to neither.
#include <string>

namespace pjsim::sweep {

// 16 lowercase hex digits of the executable's contents (/proc/self/exe), computed once per
// process; "unknown" where the executable cannot be read.
const std::string& ThisBuildFingerprint();

// The same hash of a file's contents; empty when it cannot be read.
std::string FileFingerprint(const std::string& path);

}  // namespace pjsim::sweep

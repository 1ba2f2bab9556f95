#pragma once
// The file a streamed trace goes to: written under a temporary name (PATH.tmp.PID, as
// WriteFileAtomically does) while the run goes on, renamed to PATH once complete. A run that fails
// removes the temporary; a killed run leaves it behind, never a half trace under PATH.
#include <fstream>
#include <string>

namespace pjsim {

class TraceFile {
 public:
  // Throws std::runtime_error naming the path if the temporary cannot be created.
  explicit TraceFile(std::string path);
  ~TraceFile();  // removes the temporary unless committed
  TraceFile(const TraceFile&) = delete;
  TraceFile& operator=(const TraceFile&) = delete;

  std::ostream& stream() { return out_; }
  // Flushes, syncs and renames the temporary to the path; throws std::runtime_error on failure.
  void Commit();

 private:
  std::string path_;
  std::string tmp_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace pjsim

#include "sim/report/trace_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>

namespace pjsim {

TraceFile::TraceFile(std::string path)
    : path_(std::move(path)), tmp_(path_ + ".tmp." + std::to_string(::getpid())) {
  out_.open(tmp_, std::ios::binary | std::ios::trunc);
  if (!out_) throw std::runtime_error("cannot write " + tmp_);
}

TraceFile::~TraceFile() {
  if (committed_) return;
  out_.close();
  std::remove(tmp_.c_str());
}

void TraceFile::Commit() {
  out_.flush();
  const bool written = out_.good();
  out_.close();
  if (!written || out_.fail()) throw std::runtime_error("cannot write " + tmp_);
  // The contents reach the disk before the name does.
  const int fd = ::open(tmp_.c_str(), O_RDONLY | O_CLOEXEC);
  const bool synced = fd >= 0 && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (!synced || std::rename(tmp_.c_str(), path_.c_str()) != 0)
    throw std::runtime_error("cannot write " + path_);
  committed_ = true;
}

}  // namespace pjsim

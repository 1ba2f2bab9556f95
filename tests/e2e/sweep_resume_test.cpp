// Crash safety of `pjsim sweep`: kill -9 the runner and its children mid-sweep, resume, and the
// store is byte-identical to an uninterrupted run's, with no point run or recorded twice.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "run_command.h"
#include "sim/config/file_text.h"
#include "test_paths.h"

extern char** environ;

namespace pjsim {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& p) { return ReadInputFile(p.string()); }

size_t PointFiles(const fs::path& dir) {
  std::error_code ec;
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir / "points", ec)) {
    n += e.path().extension() == ".json" ? 1 : 0;
  }
  return n;
}

// Starts `pjsim sweep ...` in a process group of its own, so that the runner and its children
// can be killed together, as a terminal's kill or an OOM kill of the session would.
pid_t StartSweepInOwnGroup(const std::vector<std::string>& args) {
  std::vector<std::string> storage = {test::PjsimExecutable(), "sweep"};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : storage) argv.push_back(s.data());
  argv.push_back(nullptr);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&files, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &files, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attr);
  return rc == 0 ? pid : -1;
}

struct FileStamp {
  ino_t inode;
  std::int64_t mtime_ns;
};

std::map<std::string, FileStamp> Stamps(const fs::path& dir) {
  std::map<std::string, FileStamp> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    struct stat st {};
    ::stat(e.path().c_str(), &st);
    out[e.path().filename().string()] = {
        st.st_ino, static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
  }
  return out;
}

TEST(SweepResume, KillNineMidSweepThenResumeMatchesAnUninterruptedRun) {
  const std::string spec = test::SourceDir() + "/configs/sweeps/tiny12.yaml";
  const std::string reference = test::FreshDir("sweep_resume_reference");
  const std::string dir = test::FreshDir("sweep_resume_killed");
  ASSERT_EQ(test::RunPjsim("sweep " + spec + " -j 2 --out " + reference).exit_code, 0);

  const pid_t runner = StartSweepInOwnGroup({spec, "-j", "1", "--out", dir});
  ASSERT_GT(runner, 0);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (PointFiles(dir) < 3 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ::kill(-runner, SIGKILL);  // the runner and every `pjsim run` it started
  int status = 0;
  ::waitpid(runner, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the sweep finished before it could be killed";

  const size_t done_before = PointFiles(dir);
  ASSERT_GE(done_before, 3u);
  ASSERT_LT(done_before, 12u) << "the sweep finished before it could be killed";
  const auto before = Stamps(fs::path(dir) / "points");

  const test::CommandResult resumed =
      test::RunPjsim("sweep " + spec + " -j 2 --resume --out " + dir);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find(std::to_string(done_before) + " already done, running " +
                                std::to_string(12 - done_before)),
            std::string::npos)
      << resumed.output;

  for (const char* f : {"results.csv", "results.jsonl", "sweep.json"}) {
    EXPECT_EQ(Read(fs::path(dir) / f), Read(fs::path(reference) / f)) << f;
  }
  // Points finished before the kill were neither re-run nor rewritten.
  const auto after = Stamps(fs::path(dir) / "points");
  EXPECT_EQ(after.size(), 12u);
  for (const auto& [name, stamp] : before) {
    ASSERT_TRUE(after.count(name)) << name;
    EXPECT_EQ(after.at(name).inode, stamp.inode) << name;
    EXPECT_EQ(after.at(name).mtime_ns, stamp.mtime_ns) << name;
  }
  // No point was logged as finished twice. (The kill may fall between a point's record and its
  // log line, so a point recorded before the kill may lack one; those run after it have one.)
  const std::string log = Read(fs::path(dir) / "run_log.txt");
  for (int i = 0; i < 12; ++i) {
    char id[16], file[16];
    std::snprintf(id, sizeof id, "point %04d ", i);
    std::snprintf(file, sizeof file, "%04d.json", i);
    size_t count = 0;
    for (size_t at = log.find(id); at != std::string::npos; at = log.find(id, at + 1)) ++count;
    EXPECT_LE(count, 1u) << id << "\n" << log;
    if (!before.count(file)) {
      EXPECT_EQ(count, 1u) << id << "\n" << log;
    }
  }
  EXPECT_FALSE(fs::exists(fs::path(dir) / "scratch"));
}

}  // namespace
}  // namespace pjsim

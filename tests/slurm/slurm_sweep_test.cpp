// `pjsim sweep --backend slurm` through a real single-node Slurm (Debian's slurm-wlm and munge,
// started by tools/slurm/start_test_cluster.sh on 127.0.0.1 and stopped at the end): the store
// is byte-identical to a local -j 2 run, a cancelled array task leaves exactly its points
// missing, and --resume (local or on Slurm) re-runs exactly those.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "run_command.h"
#include "sim/config/file_text.h"
#include "test_paths.h"

namespace pjsim {
namespace {

namespace fs = std::filesystem;

// tiny12: 12 points; 2 per task gives an array of 6 tasks.
constexpr int kPoints = 12;
constexpr int kPerTask = 2;

std::string Spec() { return test::SourceDir() + "/configs/sweeps/tiny12.yaml"; }

std::string Read(const fs::path& p) { return ReadInputFile(p.string()); }

std::string LastLine(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  const size_t nl = text.rfind('\n');
  return nl == std::string::npos ? text : text.substr(nl + 1);
}

// The cluster of one test, stopped however the test ends.
class TestCluster {
 public:
  // Returns "" when started, else why not (and `exit_code`: 77 = cannot start here).
  std::string Start(int* exit_code) {
    const test::CommandResult r =
        test::RunCommand("bash " + test::SourceDir() + "/tools/slurm/start_test_cluster.sh");
    *exit_code = r.exit_code;
    if (r.exit_code != 0) return r.output;
    dir_ = LastLine(r.output);
    ::setenv("SLURM_CONF", (dir_ + "/slurm.conf").c_str(), 1);
    return "";
  }
  ~TestCluster() {
    if (!dir_.empty()) {
      test::RunCommand("bash " + test::SourceDir() + "/tools/slurm/stop_test_cluster.sh " + dir_);
    }
  }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

// The array job of the sweep now in the queue ("" if none), held or not.
std::string QueuedJob() {
  return LastLine(test::RunCommand("squeue --noheader --format=%F --name=pjsim-tiny12").output);
}

bool WaitUntil(const std::function<bool()>& done, int seconds) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return true;
}

std::string HeldJob() {
  std::string job;
  WaitUntil(
      [&] {
        job = QueuedJob();
        return !job.empty();
      },
      30);
  return job;
}

// Each point file's inode and modification time: a point re-run gets a new file.
std::map<std::string, std::pair<ino_t, std::int64_t>> Stamps(const fs::path& points) {
  std::map<std::string, std::pair<ino_t, std::int64_t>> out;
  for (const auto& e : fs::directory_iterator(points)) {
    struct stat st {};
    ::stat(e.path().c_str(), &st);
    out[e.path().filename().string()] = {
        st.st_ino, static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
  }
  return out;
}

std::set<std::string> PointsOfTask(int task) {
  std::set<std::string> out;
  for (int i = task * kPerTask; i < (task + 1) * kPerTask && i < kPoints; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "%04d.json", i);
    out.insert(name);
  }
  return out;
}

// After a resume: the points of `task` are new files, every other point's file is untouched,
// and the results equal the local reference byte for byte.
void ExpectOnlyTaskRerun(const fs::path& store, const fs::path& reference, int task,
                         const std::map<std::string, std::pair<ino_t, std::int64_t>>& before) {
  const auto after = Stamps(store / "points");
  EXPECT_EQ(after.size(), static_cast<size_t>(kPoints));
  const std::set<std::string> rerun = PointsOfTask(task);
  for (const auto& [name, stamp] : after) {
    if (rerun.count(name)) {
      EXPECT_EQ(before.count(name), 0u) << name << " was recorded though its task was cancelled";
    } else {
      ASSERT_TRUE(before.count(name)) << name;
      EXPECT_EQ(stamp, before.at(name)) << name << " was re-run";
    }
  }
  for (const char* f : {"results.csv", "results.jsonl", "sweep.json"}) {
    EXPECT_EQ(Read(store / f), Read(reference / f)) << f;
  }
  for (const auto& e : fs::recursive_directory_iterator(store)) {
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
  }
}

TEST(SlurmSweep, ArrayStoreEqualsLocalAndResumeRerunsOnlyACancelledTasksPoints) {
  TestCluster cluster;
  int code = 0;
  const std::string why = cluster.Start(&code);
  if (code == 77) GTEST_SKIP() << "Slurm's daemons cannot start in this environment: " << why;
  ASSERT_EQ(code, 0) << why;

  const fs::path reference = test::FreshDir("slurm_reference");
  ASSERT_EQ(test::RunPjsim("sweep " + Spec() + " -j 2 --out " + reference.string()).exit_code, 0);

  // 1. The whole sweep as one array of 6 tasks, waited for and merged.
  const fs::path whole = test::FreshDir("slurm_whole");
  const test::CommandResult run = test::RunPjsim("sweep " + Spec() + " --backend slurm " +
                                                 "--points-per-task 2 --out " + whole.string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("array 0-5"), std::string::npos) << run.output;
  for (const char* f : {"results.csv", "results.jsonl", "sweep.json"}) {
    EXPECT_EQ(Read(whole / f), Read(reference / f)) << f;
  }
  for (int task = 0; task < kPoints / kPerTask; ++task) {
    bool logged = false;
    for (const auto& e : fs::directory_iterator(whole / "slurm")) {
      const std::string name = e.path().filename().string();
      logged |=
          name.size() > 6 && name.substr(name.size() - 6) == "_" + std::to_string(task) + ".log";
    }
    EXPECT_TRUE(logged) << "no log of array task " << task;
  }
  EXPECT_FALSE(fs::exists(whole / "scratch"));

  // 2. Waiting for an array one of whose tasks is cancelled: its points are missing (exit 1,
  // named), the others recorded; a local --resume runs exactly the missing ones.
  const fs::path cancelled = test::FreshDir("slurm_cancelled");
  test::CommandResult waited;
  std::thread submitter([&] {
    waited = test::RunPjsim("sweep " + Spec() + " --backend slurm --points-per-task 2 --out " +
                            cancelled.string() + " --slurm-args --hold");
  });
  std::string job = HeldJob();
  EXPECT_FALSE(job.empty()) << "the held array never showed in squeue";
  test::RunCommand("scancel " + job + "_2");
  test::RunCommand("scontrol release " + job);
  submitter.join();
  ASSERT_FALSE(job.empty());
  EXPECT_EQ(waited.exit_code, 1) << waited.output;
  EXPECT_NE(waited.output.find("2 points missing: array task 2 of Slurm job " + job),
            std::string::npos)
      << waited.output;
  const auto before_local = Stamps(cancelled / "points");
  EXPECT_EQ(before_local.size(), static_cast<size_t>(kPoints - kPerTask));
  const test::CommandResult local =
      test::RunPjsim("sweep " + Spec() + " -j 2 --resume --out " + cancelled.string());
  ASSERT_EQ(local.exit_code, 0) << local.output;
  EXPECT_NE(local.output.find("10 already done, running 2 with"), std::string::npos)
      << local.output;
  ExpectOnlyTaskRerun(cancelled, reference, 2, before_local);

  // 3. --submit-only, one task cancelled before it starts, then --resume on Slurm: only that
  // task is submitted again.
  const fs::path submitted = test::FreshDir("slurm_submit_only");
  const test::CommandResult only =
      test::RunPjsim("sweep " + Spec() + " --backend slurm --points-per-task 2 --out " +
                     submitted.string() + " --submit-only --slurm-args \"--hold\"");
  ASSERT_EQ(only.exit_code, 0) << only.output;
  job = HeldJob();
  ASSERT_FALSE(job.empty());
  EXPECT_NE(only.output.find("submitted Slurm job " + job + ": 6 array tasks"), std::string::npos)
      << only.output;
  EXPECT_NE(only.output.find("--resume"), std::string::npos) << only.output;
  test::RunCommand("scancel " + job + "_4");
  test::RunCommand("scontrol release " + job);
  ASSERT_TRUE(WaitUntil([] { return QueuedJob().empty(); }, 60)) << "the array never ended";
  const auto before_slurm = Stamps(submitted / "points");
  EXPECT_EQ(before_slurm.size(), static_cast<size_t>(kPoints - kPerTask));
  const test::CommandResult resumed =
      test::RunPjsim("sweep " + Spec() + " --backend slurm --points-per-task 2 --resume --out " +
                     submitted.string());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("10 already done, running 2 on Slurm (1 array task of"),
            std::string::npos)
      << resumed.output;
  EXPECT_NE(resumed.output.find(", array 4;"), std::string::npos) << resumed.output;
  ExpectOnlyTaskRerun(submitted, reference, 4, before_slurm);
}

}  // namespace
}  // namespace pjsim

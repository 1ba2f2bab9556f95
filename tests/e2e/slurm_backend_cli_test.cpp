// `pjsim sweep --backend slurm` without a cluster: stand-in sbatch and squeue scripts on PATH
// check what is submitted and how a missing or refusing Slurm reads, and the submitted batch
// script, run by hand as Slurm would run each array task, fills the store exactly as a local
// run does. (tests/slurm/ runs the same through a real Slurm.)
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "run_command.h"
#include "sim/config/file_text.h"
#include "test_paths.h"

namespace pjsim {
namespace {

namespace fs = std::filesystem;

std::string Spec() { return test::SourceDir() + "/configs/sweeps/tiny12.yaml"; }

void WriteScript(const fs::path& path, const std::string& body) {
  std::ofstream(path) << "#!/bin/sh\n" << body;
  fs::permissions(path, fs::perms::owner_all);
}

// A directory with stand-ins for sbatch (printing `sbatch_body`'s output) and squeue (an
// empty queue), to put first on PATH.
std::string FakeSlurm(const fs::path& dir, const std::string& sbatch_body) {
  fs::create_directories(dir);
  WriteScript(dir / "sbatch", sbatch_body);
  WriteScript(dir / "squeue", "exit 0\n");
  WriteScript(dir / "scancel", "exit 0\n");
  return "PATH=" + dir.string() + ":$PATH ";
}

TEST(SlurmBackendCli, WithoutSbatchOnPathIsALineAndTouchesNothing) {
  const fs::path out = fs::path(test::FreshDir("slurm_no_sbatch")) / "store";
  const test::CommandResult r =
      test::RunCommand("PATH=/nonexistent " + test::PjsimExecutable() + " sweep " + Spec() +
                       " --backend slurm --out " + out.string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("pjsim sweep: error: <command line>: --backend slurm: 'sbatch' is not on "
                          "PATH"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  EXPECT_FALSE(fs::exists(out));
}

TEST(SlurmBackendCli, ARejectedSubmissionIsOneLineExitOne) {
  const fs::path dir = test::FreshDir("slurm_rejected");
  const std::string path = FakeSlurm(
      dir / "bin",
      "echo 'sbatch: error: invalid partition specified: nope' >&2\n"
      "echo 'sbatch: error: Batch job submission failed: Invalid partition name specified' >&2\n"
      "exit 1\n");
  const test::CommandResult r =
      test::RunCommand(path + test::PjsimExecutable() + " sweep " + Spec() +
                       " --backend slurm --partition nope --out " + (dir / "store").string());
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("pjsim sweep: error: sbatch rejected the job array: sbatch: error: Batch "
                          "job submission failed: Invalid partition name specified; nothing was "
                          "submitted"),
            std::string::npos)
      << r.output;
}

TEST(SlurmBackendCli, SlurmFlagsNeedTheSlurmBackend) {
  for (const std::string flags : {"--partition p", "--points-per-task 2", "--submit-only",
                                  "--slurm-args x", "--backend pbs"}) {
    const test::CommandResult r = test::RunPjsim("sweep " + Spec() + " --dry-run " + flags);
    EXPECT_EQ(r.exit_code, 2) << flags << "\n" << r.output;
  }
  const test::CommandResult r = test::RunPjsim("sweep " + Spec() + " --array-task 0");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--array-task needs --out and --points-per-task"), std::string::npos)
      << r.output;
}

TEST(SlurmBackendCli, TheSubmittedScriptRunByHandPerTaskFillsTheStoreAsALocalRun) {
  const fs::path dir = test::FreshDir("slurm_by_hand");
  const fs::path reference = dir / "reference", store = dir / "store";
  ASSERT_EQ(test::RunPjsim("sweep " + Spec() + " -j 2 --out " + reference.string()).exit_code, 0);
  const std::string path =
      FakeSlurm(dir / "bin", "echo \"$@\" > " + (dir / "sbatch_args").string() + "\necho 42\n");

  // The queue is empty at once (nothing ran the tasks): all 12 points are missing, by task.
  const test::CommandResult submitted =
      test::RunCommand(path + test::PjsimExecutable() + " sweep " + Spec() +
                       " --backend slurm --points-per-task 5 -j 2 --slurm-args \"--time=5 "
                       "--comment='a b'\" --out " +
                       store.string());
  EXPECT_EQ(submitted.exit_code, 1) << submitted.output;
  EXPECT_NE(submitted.output.find("12 points missing: array tasks 0-2 of Slurm job 42"),
            std::string::npos)
      << submitted.output;
  const std::string args = ReadInputFile((dir / "sbatch_args").string());
  EXPECT_EQ(args, "--parsable --array=0-2 --job-name=pjsim-tiny12 --output=" + store.string() +
                      "/slurm/%A_%a.log --cpus-per-task=2 --time=5 --comment=a b " +
                      store.string() + "/slurm/array.sh\n");

  // Each array task as Slurm runs it: its batch of points, nothing else.
  const auto points = [&] {
    size_t n = 0;
    for (const auto& e : fs::directory_iterator(store / "points"))
      n += e.path().extension() == ".json";
    return n;
  };
  const std::string script = (store / "slurm" / "array.sh").string();
  const test::CommandResult task1 = test::RunCommand("SLURM_ARRAY_TASK_ID=1 sh " + script);
  ASSERT_EQ(task1.exit_code, 0) << task1.output;
  EXPECT_EQ(points(), 5u);
  for (const char* id : {"0005", "0006", "0007", "0008", "0009"}) {
    EXPECT_TRUE(fs::exists(store / "points" / (std::string(id) + ".json"))) << id;
  }
  // Run again (a requeued task), it finds its points recorded and runs none.
  const test::CommandResult again = test::RunCommand("SLURM_ARRAY_TASK_ID=1 sh " + script);
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("5 already done or skipped, running 0"), std::string::npos)
      << again.output;
  for (const char* task : {"0", "2"}) {
    const test::CommandResult r =
        test::RunCommand(std::string("SLURM_ARRAY_TASK_ID=") + task + " sh " + script);
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  EXPECT_EQ(points(), 12u);
  EXPECT_EQ(test::RunCommand("SLURM_ARRAY_TASK_ID=3 sh " + script).exit_code, 2)
      << "task 3 has no points";

  // --resume merges what the tasks recorded and runs nothing.
  const test::CommandResult merged =
      test::RunPjsim("sweep " + Spec() + " --resume --out " + store.string());
  ASSERT_EQ(merged.exit_code, 0) << merged.output;
  EXPECT_NE(merged.output.find("12 already done, running 0"), std::string::npos) << merged.output;
  for (const char* f : {"results.csv", "results.jsonl", "sweep.json"}) {
    EXPECT_EQ(ReadInputFile((store / f).string()), ReadInputFile((reference / f).string())) << f;
  }
}

TEST(SlurmBackendCli, ResumeIsRefusedWhileTheSubmittedArrayIsQueued) {
  const fs::path dir = test::FreshDir("slurm_queued");
  const fs::path store = dir / "store";
  const std::string path = FakeSlurm(dir / "bin", "echo 42\n");
  const test::CommandResult submitted =
      test::RunCommand(path + test::PjsimExecutable() + " sweep " + Spec() +
                       " --backend slurm --submit-only --out " + store.string());
  ASSERT_EQ(submitted.exit_code, 0) << submitted.output;
  EXPECT_NE(submitted.output.find("submitted Slurm job 42: 2 array tasks for 12 points"),
            std::string::npos)
      << submitted.output;
  EXPECT_NE(submitted.output.find(" --out " + store.string() + " --resume"), std::string::npos)
      << submitted.output;

  // squeue still lists a task of job 42: a resume would run its points twice.
  WriteScript(dir / "bin" / "squeue", "echo 42_1\n");
  const test::CommandResult early = test::RunCommand(path + test::PjsimExecutable() + " sweep " +
                                                     Spec() + " --resume --out " + store.string());
  EXPECT_EQ(early.exit_code, 2) << early.output;
  EXPECT_NE(early.output.find("Slurm job 42 of this store still has 1 array tasks queued or "
                              "running"),
            std::string::npos)
      << early.output;

  // Once the queue is empty (here: nothing ran), --resume runs the missing points locally.
  WriteScript(dir / "bin" / "squeue", "exit 0\n");
  const test::CommandResult resumed =
      test::RunCommand(path + test::PjsimExecutable() + " sweep " + Spec() +
                       " -j 2 --resume --out " + store.string());
  EXPECT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("running 12 with -j 2"), std::string::npos) << resumed.output;
  EXPECT_FALSE(fs::exists(store / "slurm" / "queued_job"));
}

}  // namespace
}  // namespace pjsim

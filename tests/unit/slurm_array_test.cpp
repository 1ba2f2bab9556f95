// The Slurm backend's pure parts: which points an array task runs, the --array text, the words
// of --slurm-args and the batch script's quoting.
#include "sim/sweep/slurm_array.h"

#include <gtest/gtest.h>

#include <set>

#include "sim/config/config_error.h"
#include "sim/sweep/slurm_jobs.h"

namespace pjsim::sweep {
namespace {

TEST(SlurmArray, BatchesCoverEveryPointOnceInOrder) {
  for (size_t points : {1u, 5u, 12u, 13u, 1000u}) {
    for (size_t per : {1u, 2u, 3u, 7u, 10u}) {
      const size_t tasks = ArrayTaskCount(points, per);
      size_t next = 0;
      for (size_t t = 0; t < tasks; ++t) {
        const TaskBatch b = ArrayTaskBatch(t, per, points);
        EXPECT_EQ(b.first, next) << points << " " << per << " " << t;
        EXPECT_GT(b.end, b.first);
        EXPECT_LE(b.end - b.first, per);
        next = b.end;
      }
      EXPECT_EQ(next, points) << points << " " << per;
      const TaskBatch past = ArrayTaskBatch(tasks, per, points);
      EXPECT_EQ(past.first, past.end) << "a task past the last has no points";
    }
  }
}

TEST(SlurmArray, DefaultBatchesKeepWithinSlurmsDefaultArraySize) {
  for (size_t points : {1u, 12u, 9999u, 10000u, 10001u, 123457u, 1000000u}) {
    const size_t per = DefaultPointsPerTask(points);
    EXPECT_GE(per, 10u);
    EXPECT_LE(ArrayTaskCount(points, per), kDefaultMaxArrayTasks) << points;
  }
}

TEST(SlurmArray, RangesCompressRuns) {
  EXPECT_EQ(ArrayRanges({0, 1, 2, 3, 4, 5}), "0-5");
  EXPECT_EQ(ArrayRanges({1, 3, 4, 9}), "1,3-4,9");
  EXPECT_EQ(ArrayRanges({7}), "7");
  EXPECT_EQ(ArrayRanges({0, 2, 4}), "0,2,4");
}

TEST(SlurmArgs, SplitAtBlanksWithQuotes) {
  EXPECT_EQ(SplitSlurmArgs("--time=01:00:00  --account=arch"),
            (std::vector<std::string>{"--time=01:00:00", "--account=arch"}));
  EXPECT_EQ(SplitSlurmArgs("--comment='two words' --x=\"a b\"c ''"),
            (std::vector<std::string>{"--comment=two words", "--x=a bc", ""}));
  EXPECT_TRUE(SplitSlurmArgs("   ").empty());
  EXPECT_THROW(SplitSlurmArgs("--comment='open"), ConfigError);
}

TEST(SlurmArgs, SbatchCommandPutsTheUsersOptionsAfterPjsimsAndTheScriptLast) {
  ArraySubmission s;
  s.script = "/store/slurm/array.sh";
  s.array = "1,3";
  s.job_name = "pjsim-x";
  s.output = "/store/slurm/%A_%a.log";
  s.partition = "short";
  s.cpus_per_task = 4;
  s.extra = {"--time=5"};
  EXPECT_EQ(SbatchCommand(s),
            (std::vector<std::string>{"sbatch", "--parsable", "--array=1,3", "--job-name=pjsim-x",
                                      "--output=/store/slurm/%A_%a.log", "--cpus-per-task=4",
                                      "--partition=short", "--time=5", "/store/slurm/array.sh"}));
}

TEST(SlurmScript, QuotesEveryWordForTheShell) {
  EXPECT_EQ(ShellQuote("/a/b-c_d.yaml"), "/a/b-c_d.yaml");
  EXPECT_EQ(ShellQuote("a b"), "'a b'");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
  EXPECT_EQ(ShellQuote("$HOME"), "'$HOME'");
  EXPECT_EQ(ShellQuote(""), "''");
  const std::string script = ArrayTaskScript({"/bin/pjsim", "sweep", "/my specs/x.yaml"});
  EXPECT_EQ(script.rfind("#!/bin/sh\n", 0), 0u);
  EXPECT_NE(script.find("\nexec /bin/pjsim sweep '/my specs/x.yaml' \"$SLURM_ARRAY_TASK_ID\"\n"),
            std::string::npos)
      << script;
}

}  // namespace
}  // namespace pjsim::sweep

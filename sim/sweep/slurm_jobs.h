#pragma once
// Talking to Slurm through its client commands: submitting one job array with sbatch, asking
// squeue how many of its tasks are left, cancelling it with scancel. Slurm's own tools are used
// (not its REST API or libslurm) so that pjsim needs nothing a cluster's login node lacks.
#include <optional>
#include <string>
#include <vector>

namespace pjsim::sweep {

struct ArraySubmission {
  std::string script;              // the batch script's path
  std::string array;               // --array: "0-5", "1,3"
  std::string job_name;            // --job-name
  std::string output;              // --output pattern (%A job id, %a task index)
  std::string partition;           // "" = the cluster's default
  int cpus_per_task = 1;           // --cpus-per-task: the points a task runs at once
  std::vector<std::string> extra;  // the user's --slurm-args, after pjsim's own flags
};

// Throws ConfigError when sbatch or squeue is not on PATH: checked before a store is touched.
void RequireSlurmClients();

// The sbatch command line (argv) for `s`.
std::vector<std::string> SbatchCommand(const ArraySubmission& s);

// Submits and returns the job id. Throws ConfigError when sbatch is not on PATH and
// std::runtime_error with sbatch's own message when it rejects the submission.
std::string SubmitArray(const ArraySubmission& s);

// How many of the job's array tasks are queued, running or completing; 0 once none is (also when
// the controller has already forgotten the job). nullopt when squeue could not tell (the
// controller is unreachable), with its message in `why`.
std::optional<size_t> ArrayTasksLeft(const std::string& job_id, std::string* why);

// scancel JOB; returns false (with the message in `why`) when it failed.
bool CancelJob(const std::string& job_id, std::string* why);

// The words of --slurm-args: split at blanks, with '...' and "..." quoting (no expansions).
// Throws ConfigError on an unclosed quote.
std::vector<std::string> SplitSlurmArgs(const std::string& text);

// `word` quoted for /bin/sh when it needs it.
std::string ShellQuote(const std::string& word);

// The batch script every array task runs: `command` with the task's index appended
// ("$SLURM_ARRAY_TASK_ID"), exec'ed so that Slurm's signals reach pjsim itself.
std::string ArrayTaskScript(const std::vector<std::string>& command);

}  // namespace pjsim::sweep

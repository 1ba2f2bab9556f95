#include "sim/sweep/slurm_jobs.h"

#include <stdexcept>

#include "sim/config/config_error.h"
#include "sim/sweep/tool_command.h"

namespace pjsim::sweep {
namespace {

ConfigError NotInstalled(const std::string& tool) {
  return ConfigError({"<command line>", 0, 0},
                     "--backend slurm: '" + tool +
                         "' is not on PATH; run the sweep on a machine with Slurm's client "
                         "commands (sbatch, squeue, scancel), e.g. the cluster's login node");
}

// The message of a failed tool: the last line of its stderr that says "error" or "fatal" (Slurm's
// tools end with the conclusion: "Batch job submission failed: ..."), else its first line.
std::string ToolMessage(const ToolResult& r) {
  const std::string& text = r.err.empty() ? r.out : r.err;
  std::string found;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    if (line.find("error") != std::string::npos || line.find("fatal") != std::string::npos) {
      found = FirstLine(line);
    }
    start = end + 1;
  }
  if (!found.empty()) return found;
  const std::string first = FirstLine(text);
  return first.empty() ? "exit status " + std::to_string(r.exit_status) : first;
}

}  // namespace

void RequireSlurmClients() {
  for (const char* tool : {"sbatch", "squeue"}) {
    if (!OnPath(tool)) throw NotInstalled(tool);
  }
}

std::vector<std::string> SbatchCommand(const ArraySubmission& s) {
  std::vector<std::string> argv = {"sbatch",
                                   "--parsable",
                                   "--array=" + s.array,
                                   "--job-name=" + s.job_name,
                                   "--output=" + s.output,
                                   "--cpus-per-task=" + std::to_string(s.cpus_per_task)};
  if (!s.partition.empty()) argv.push_back("--partition=" + s.partition);
  argv.insert(argv.end(), s.extra.begin(), s.extra.end());
  argv.push_back(s.script);
  return argv;
}

std::string SubmitArray(const ArraySubmission& s) {
  const ToolResult r = RunTool(SbatchCommand(s));
  if (!r.found) throw NotInstalled("sbatch");
  if (r.exit_status != 0) {
    throw std::runtime_error("sbatch rejected the job array: " + ToolMessage(r));
  }
  // --parsable prints "JOBID" or "JOBID;CLUSTER".
  std::string id = FirstLine(r.out);
  id = id.substr(0, id.find(';'));
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos) {
    throw std::runtime_error("sbatch printed no job id (got '" + FirstLine(r.out) + "')");
  }
  return id;
}

std::optional<size_t> ArrayTasksLeft(const std::string& job_id, std::string* why) {
  // squeue lists pending, running, suspended and completing tasks by default, one line each (-r).
  const ToolResult r =
      RunTool({"squeue", "--noheader", "--array", "--jobs=" + job_id, "--format=%i"});
  if (!r.found) throw NotInstalled("squeue");
  if (r.exit_status != 0) {
    // A job the controller has purged (MinJobAge after its end) is no longer known.
    if (r.err.find("Invalid job id") != std::string::npos) return 0;
    if (why) *why = ToolMessage(r);
    return std::nullopt;
  }
  size_t lines = 0;
  size_t start = 0;
  while (start < r.out.size()) {
    size_t end = r.out.find('\n', start);
    if (end == std::string::npos) end = r.out.size();
    if (!FirstLine(r.out.substr(start, end - start)).empty()) ++lines;
    start = end + 1;
  }
  return lines;
}

bool CancelJob(const std::string& job_id, std::string* why) {
  const ToolResult r = RunTool({"scancel", job_id});
  if (r.found && r.exit_status == 0) return true;
  if (why) *why = r.found ? ToolMessage(r) : "'scancel' is not on PATH";
  return false;
}

std::vector<std::string> SplitSlurmArgs(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (const char c : text) {
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote) {
    throw ConfigError({"<command line>", 0, 0},
                      std::string("--slurm-args: unclosed ") + quote + " in '" + text + "'");
  }
  if (in_word) words.push_back(word);
  return words;
}

std::string ShellQuote(const std::string& word) {
  if (!word.empty() &&
      word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                             "_-./=:,+@%") == std::string::npos) {
    return word;
  }
  std::string out = "'";
  for (const char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string ArrayTaskScript(const std::vector<std::string>& command) {
  std::string line = "exec";
  for (const auto& word : command) line += " " + ShellQuote(word);
  return "#!/bin/sh\n"
         "# Written by `pjsim sweep --backend slurm` (docs/SWEEPS.md): each array task runs its\n"
         "# batch of the sweep's points into the store and records each point atomically.\n" +
         line + " \"$SLURM_ARRAY_TASK_ID\"\n";
}

}  // namespace pjsim::sweep

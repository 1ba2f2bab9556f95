#include "sim/sweep/claim_register.h"

#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>

#include "sim/config/file_text.h"
#include "sim/config/json_reader.h"
#include "sim/config/yaml_reader.h"
#include "sim/report/atomic_file.h"
#include "sim/report/csv.h"
#include "sim/report/json_text.h"
#include "sim/sweep/claim_metrics.h"
#include "sim/sweep/output_dir.h"
#include "sim/sweep/sweep_runner.h"

namespace pjsim::sweep {
namespace {

namespace fs = std::filesystem;

// Identifies a directory as the register's output, so that a rerun may overwrite it.
constexpr const char* kMarker = "claims_register.txt";

struct RunSlot {
  const ClaimSpec* claim = nullptr;
  const ClaimRun* run = nullptr;
  fs::path dir;       // absolute run --out directory
  fs::path workload;  // absolute imported workload ("" when the run names a file)
  std::string error;  // the first failure of its import or run
};

std::string Abs(const fs::path& p) { return fs::absolute(p).lexically_normal().string(); }

std::string FirstLine(const std::string& text) {
  const auto start = text.find_first_not_of("\n");
  if (start == std::string::npos) return "";
  return text.substr(start, text.find('\n', start) - start);
}

// Runs `jobs` and records each failure (with the first line of the child's output) in its slot.
void RunAll(const std::vector<PointJob>& jobs, std::vector<RunSlot>& slots, int parallel,
            const std::string& what, std::ostream& progress) {
  if (jobs.empty()) return;
  size_t done = 0;
  RunnerOptions runner;
  runner.jobs = parallel;
  const bool completed = RunJobs(
      jobs, runner,
      [&](const JobOutcome& r) {
        RunSlot& slot = slots[r.index];
        ++done;
        if (!r.ok) {
          std::string log;
          try {
            log = FirstLine(ReadInputFile(slot.dir.string() + ".log"));
          } catch (const std::exception&) {
          }
          slot.error = what + " failed: " + (log.empty() ? r.error : log);
        }
        progress << "claims: " << what << " " << done << "/" << jobs.size() << " "
                 << slot.claim->name << "/" << slot.run->name << (r.ok ? "" : " FAILED") << "\n"
                 << std::flush;
      },
      [] {});
  if (!completed) throw std::runtime_error("interrupted");
}

PointJob ImportJob(const std::string& exe, size_t index, const RunSlot& s) {
  PointJob job;
  job.index = index;
  job.command.executable = exe;
  job.command.args = {"import-hf", s.run->import_config, "-o", s.workload.string()};
  job.command.args.insert(job.command.args.end(), s.run->import_args.begin(),
                          s.run->import_args.end());
  job.command.cwd = Abs(s.claim->dir.empty() ? fs::path(".") : fs::path(s.claim->dir));
  job.command.output_path = s.dir.string() + ".log";
  return job;
}

PointJob RunJob(const std::string& exe, size_t index, const RunSlot& s) {
  PointJob job;
  job.index = index;
  job.command.executable = exe;
  const std::string workload = s.workload.empty() ? s.run->workload : s.workload.string();
  job.command.args = {"run", "--arch", s.run->arch, "--workload", workload};
  if (!s.run->tech.empty())
    job.command.args.insert(job.command.args.end(), {"--tech", s.run->tech});
  for (const auto& kv : s.run->set) job.command.args.insert(job.command.args.end(), {"--set", kv});
  job.command.args.insert(job.command.args.end(), {"--out", s.dir.string(), "--quiet"});
  job.command.cwd = Abs(s.claim->dir.empty() ? fs::path(".") : fs::path(s.claim->dir));
  job.command.output_path = s.dir.string() + ".log";
  return job;
}

// Evaluates a claim's values in order over its runs' metrics.
ClaimResult Evaluate(const ClaimSpec& claim, const std::map<std::string, FlatMetrics>& metrics) {
  ClaimResult result;
  result.spec = &claim;
  std::map<std::string, double> known;
  for (const ClaimValue& v : claim.values) {
    const auto resolve = [&](const std::string& name) -> std::optional<Value> {
      if (const auto k = known.find(name); k != known.end()) return Value(k->second);
      const auto dot = name.find('.');
      const FlatMetrics& m = metrics.at(name.substr(0, dot));
      const std::string metric = name.substr(dot + 1);
      const auto it = m.find(metric);
      if (it != m.end()) return it->second;
      std::vector<std::string> names;
      for (const auto& [n, value] : m) names.push_back(n);
      const std::string guess = DidYouMean(metric, names);
      for (const auto& ref : v.expr.references()) {
        if (ref.name != name) continue;
        v.expr.Fail(ref.offset, "the report of run '" + name.substr(0, dot) + "' has no '" +
                                    metric + "'" +
                                    (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
      }
      return std::nullopt;
    };
    double number = std::numeric_limits<double>::quiet_NaN();
    try {
      const auto value = v.expr.Evaluate(resolve);
      if (value && std::holds_alternative<double>(*value)) number = std::get<double>(*value);
    } catch (const ExpressionError& e) {
      v.expr.Fail(e.offset(), e.what());
    }
    known[v.name] = number;
    result.values.push_back(number);
  }
  return result;
}

std::string ValueText(const ClaimResult& r, const std::string& name) {
  for (size_t i = 0; i < r.spec->values.size(); ++i) {
    if (r.spec->values[i].name == name) {
      return r.error.empty() ? FormatClaimValue(r.values[i], r.spec->values[i]) : "failed";
    }
  }
  return "";
}

// The explanation with every {name} replaced by its formatted value.
std::string Explanation(const ClaimResult& r) {
  const std::string& text = r.spec->explains;
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    const auto open = text.find('{', pos);
    if (open == std::string::npos) {
      out += text.substr(pos);
      break;
    }
    const auto close = text.find('}', open);
    out += text.substr(pos, open - pos) + ValueText(r, text.substr(open + 1, close - open - 1));
    pos = close + 1;
  }
  return out;
}

// One line of a Markdown table cell: no line breaks, '|' escaped.
std::string Cell(const std::string& text) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

std::string RunText(const ClaimSpec& c, const ClaimRun& r) {
  // Plain paths, not links: they are relative to the output directory, wherever the table is.
  if (r.numerics) {
    return "`" + r.name + "`: `" + ClaimRunDir(c, r) + "/numerics.txt` — `" + r.numerics->command +
           "` (computed in the register's process)";
  }
  std::string text =
      "`" + r.name + "`: `" + ClaimRunDir(c, r) + "/report.json` — arch `" + r.arch + "`";
  if (!r.tech.empty()) text += ", tech `" + r.tech + "`";
  if (r.workload.empty()) {
    std::string args;
    for (const auto& a : r.import_args) args += " " + a;
    text += ", workload `pjsim import-hf " + r.import_config + args + "`";
  } else {
    text += ", workload `" + r.workload + "`";
  }
  for (const auto& kv : r.set) text += ", `--set " + kv + "`";
  return text;
}

}  // namespace

std::string ClaimRunDir(const ClaimSpec& claim, const ClaimRun& run) {
  return "runs/" + claim.name + "/" + run.name;
}

std::string ClaimsMarkdown(const std::vector<ClaimResult>& results) {
  std::string md =
      "| claim | claimed factor | pjsim, counting what the claim counts | pjsim, full system "
      "(SRAM, DRAM, NoC, leakage) | what explains the difference |\n"
      "|---|---|---|---|---|\n";
  for (const ClaimResult& r : results) {
    const ClaimSpec& c = *r.spec;
    md += "| " + Cell(c.title) + " [^" + c.name + "] | " + Cell(c.claimed) + " | " +
          Cell(ValueText(r, "counted")) + " | " + Cell(ValueText(r, "full")) + " | " +
          Cell(r.error.empty() ? Explanation(r) : r.error) + " |\n";
  }
  md += "\n";
  for (const ClaimResult& r : results) {
    const ClaimSpec& c = *r.spec;
    md += "[^" + c.name + "]: `" + c.file + "`. Claim: " + Cell(c.claim) +
          " Source: " + Cell(c.source) + " Counts: " + Cell(c.counts) + " Runs:";
    for (size_t i = 0; i < c.runs.size(); ++i) {
      md += (i ? "; " : " ") + RunText(c, c.runs[i]);
    }
    md += ".\n";
  }
  return md;
}

std::string ClaimsCsv(const std::vector<ClaimResult>& results) {
  std::string csv =
      CsvRow({"claim", "title", "claimed", "counted", "counted_value", "full", "full_value",
              "explains", "error", "source", "counts", "claim_file", "reports"});
  for (const ClaimResult& r : results) {
    const ClaimSpec& c = *r.spec;
    const auto number = [&](const std::string& name) {
      for (size_t i = 0; i < c.values.size(); ++i) {
        if (c.values[i].name == name && r.error.empty() && std::isfinite(r.values[i])) {
          return ValueText(Value(r.values[i]));
        }
      }
      return std::string();
    };
    std::string reports;
    for (const auto& run : c.runs) {
      reports += (reports.empty() ? "" : ";") + run.name + "=" + ClaimRunDir(c, run) +
                 (run.numerics ? "/numerics.txt" : "/report.json");
    }
    csv += CsvRow({c.name, c.title, c.claimed, ValueText(r, "counted"), number("counted"),
                   ValueText(r, "full"), number("full"), r.error.empty() ? Explanation(r) : "",
                   r.error, c.source, c.counts, c.file, reports});
  }
  return csv;
}

int RunClaims(const ClaimsOptions& o, std::ostream& progress) {
  std::vector<ClaimSpec> claims;
  for (const auto& file : o.claim_files) claims.push_back(LoadClaimSpec(file));
  for (size_t i = 0; i < claims.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (claims[i].name == claims[j].name) {
        throw ConfigError(
            {claims[i].file, 0, 0},
            "claim '" + claims[i].name + "' is given twice (also " + claims[j].file + ")");
      }
    }
  }
  const fs::path out = o.out_dir;
  RequireOwnOrEmptyDirectory(out, "out", kMarker, {kMarker, "claims.md", "claims.csv", "runs"});
  fs::create_directories(out / "runs");
  WriteFileAtomically((out / kMarker).string(),
                      "Output of `pjsim claims`: claims.md, claims.csv and runs/CLAIM/RUN/ (each "
                      "run's report), which a rerun overwrites.\n");

  std::vector<RunSlot> slots;
  for (const ClaimSpec& c : claims) {
    fs::create_directories(out / "runs" / c.name);
    for (const ClaimRun& r : c.runs) {
      RunSlot s;
      s.claim = &c;
      s.run = &r;
      s.dir = Abs(out / ClaimRunDir(c, r));
      if (r.workload.empty() && !r.numerics) s.workload = s.dir.string() + ".workload.yaml";
      slots.push_back(std::move(s));
    }
  }
  std::vector<PointJob> imports, runs;
  for (size_t i = 0; i < slots.size(); ++i) {
    if (!slots[i].workload.empty()) imports.push_back(ImportJob(o.executable, i, slots[i]));
  }
  progress << "claims: " << claims.size() << " claims, " << imports.size() << " imports, "
           << slots.size() << " runs, -j " << o.jobs << ", into " << o.out_dir << "\n"
           << std::flush;
  RunAll(imports, slots, o.jobs, "import", progress);
  for (size_t i = 0; i < slots.size(); ++i) {
    if (slots[i].error.empty() && !slots[i].run->numerics) {
      runs.push_back(RunJob(o.executable, i, slots[i]));
    }
  }
  RunAll(runs, slots, o.jobs, "run", progress);

  std::vector<ClaimResult> results;
  bool all_ok = true;
  size_t next = 0;
  for (const ClaimSpec& c : claims) {
    std::map<std::string, FlatMetrics> metrics;
    std::string error;
    for (const ClaimRun& r : c.runs) {
      RunSlot& s = slots[next++];
      if (r.numerics && s.error.empty()) {
        // In this process: the library behind `pjsim numerics`, its tables kept beside the runs.
        try {
          std::string text;
          metrics[r.name] = RunClaimNumerics(*r.numerics, text);
          fs::create_directories(s.dir);
          WriteFileAtomically((s.dir / "numerics.txt").string(), text);
          progress << "claims: numerics " << c.name << "/" << r.name << "\n" << std::flush;
        } catch (const std::exception& e) {
          s.error = std::string("numerics failed: ") + e.what();
        }
      } else if (s.error.empty()) {
        try {
          const fs::path path = s.dir / "report.json";
          const YAML::Node report = LoadJson(ReadInputFile(path.string()), path.string());
          metrics[r.name] = FlattenClaimReport(report, report["config"]);
        } catch (const std::exception& e) {
          s.error = std::string("unreadable report: ") + e.what();
        }
      }
      if (!s.error.empty() && error.empty()) {
        error = "run `" + r.name + "` " + s.error + " (log: " + ClaimRunDir(c, r) + ".log)";
      }
    }
    ClaimResult result;
    if (error.empty()) {
      result = Evaluate(c, metrics);
    } else {
      result.spec = &c;
      result.values.assign(c.values.size(), std::numeric_limits<double>::quiet_NaN());
      result.error = error;
      all_ok = false;
    }
    results.push_back(std::move(result));
  }
  WriteFileAtomically((out / "claims.csv").string(), ClaimsCsv(results));
  WriteFileAtomically((out / "claims.md").string(), ClaimsMarkdown(results));
  progress << "claims: wrote " << (out / "claims.md").string() << " and "
           << (out / "claims.csv").string() << "\n";
  return all_ok ? 0 : 1;
}

}  // namespace pjsim::sweep

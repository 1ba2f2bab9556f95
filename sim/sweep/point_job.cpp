#include "sim/sweep/point_job.h"

#include <filesystem>
#include <stdexcept>
#include <variant>

#include "sim/config/file_text.h"
#include "sim/config/json_reader.h"

namespace pjsim::sweep {

namespace fs = std::filesystem;

PointJob MakePointJob(const SweepOptions& o, const SweepSpec& spec, const DesignPoint& p,
                      const ResultStore& store) {
  PointJob job;
  job.index = p.index;
  ChildCommand& c = job.command;
  c.executable = o.executable;
  c.args = {"run", "--arch", p.arch, "--workload", p.workload};
  if (!p.tech.empty()) c.args.insert(c.args.end(), {"--tech", p.tech});
  for (const auto& ov : p.overrides) c.args.insert(c.args.end(), {"--set", ov});
  if (!o.carbon_location.empty()) c.args.insert(c.args.end(), {"--carbon", o.carbon_location});
  if (!o.carbon_table.empty()) {
    c.args.insert(c.args.end(),
                  {"--carbon-table", fs::absolute(o.carbon_table).lexically_normal().string()});
  }
  if (!o.pue.empty()) c.args.insert(c.args.end(), {"--pue", o.pue});
  c.args.insert(c.args.end(), {"--out", store.ScratchDir(p), "--quiet"});
  // Paths in the spec are relative to it: run there, so reports record them as written.
  c.cwd = fs::absolute(spec.dir.empty() ? fs::path(".") : fs::path(spec.dir)).lexically_normal();
  c.output_path = store.ScratchDir(p) + ".log";
  return job;
}

RecordedPoint RecordPointOutcome(const JobOutcome& r, const DesignPoint& p, ResultStore& store) {
  const fs::path scratch = store.ScratchDir(p);
  PointStatus status = r.ok          ? PointStatus::kOk
                       : r.timed_out ? PointStatus::kTimeout
                                     : PointStatus::kFailed;
  std::string error = r.error;
  YAML::Node report;
  if (r.ok) {
    try {
      const fs::path path = scratch / "report.json";
      report.reset(LoadJson(ReadInputFile(path.string()), path.string()));
      if (!report.IsMap() || !report["total"]) throw std::runtime_error("no 'total' in it");
    } catch (const std::exception& e) {
      status = PointStatus::kFailed;
      error = std::string("pjsim run exited 0 but its report is unreadable: ") + e.what();
    }
  }
  RecordedPoint recorded;
  recorded.result = &store.Record(p, status, error, status == PointStatus::kOk ? &report : nullptr);
  recorded.error = error;
  std::error_code rm;
  fs::remove_all(scratch, rm);
  fs::remove(scratch.string() + ".log", rm);
  return recorded;
}

double MetricNumber(const PointResult& r, const std::string& name) {
  const auto it = r.metrics.find(name);
  if (it == r.metrics.end()) return 0;
  const double* d = std::get_if<double>(&it->second);
  return d ? *d : 0;
}

}  // namespace pjsim::sweep

#include "sim/sweep/point_record.h"

#include <charconv>

#include "sim/config/json_reader.h"
#include "sim/report/json_text.h"
#include "sim/report/json_writer.h"

namespace pjsim::sweep {

std::string_view StatusName(PointStatus s) {
  switch (s) {
    case PointStatus::kOk:
      return "ok";
    case PointStatus::kFailed:
      return "failed";
    case PointStatus::kTimeout:
      return "timeout";
    case PointStatus::kSkipped:
      return "skipped";
  }
  return "failed";
}

std::optional<PointStatus> ParseStatus(std::string_view name) {
  for (const auto s :
       {PointStatus::kOk, PointStatus::kFailed, PointStatus::kTimeout, PointStatus::kSkipped}) {
    if (StatusName(s) == name) return s;
  }
  return std::nullopt;
}

std::string PointRecordJson(const SweepSpec& spec, const DesignPoint& point, PointStatus status,
                            const std::string& error, const YAML::Node* report,
                            const std::string& build) {
  JsonWriter j;
  j.BeginObject();
  j.Field("point", point.id);
  j.Field("index", static_cast<std::int64_t>(point.index));
  j.Field("config_hash", point.config_hash);
  j.Field("pjsim_build", build);
  j.Field("status", std::string(StatusName(status)));
  j.Field("error", error);
  j.Key("axes").BeginObject();
  for (size_t a = 0; a < spec.axes.size(); ++a) {
    const Value v = point.values[a].AsValue();
    if (const double* d = std::get_if<double>(&v)) {
      j.Field(spec.axes[a].key, *d);
    } else {
      j.Field(spec.axes[a].key, std::get<std::string>(v));
    }
  }
  j.EndObject();
  j.Key("files").BeginObject();
  j.Field("arch", point.arch).Field("tech", point.tech).Field("workload", point.workload);
  j.EndObject();
  j.Key("overrides").BeginArray();
  for (const auto& o : point.overrides) j.String(o);
  j.EndArray();
  const bool ok = status == PointStatus::kOk && report && report->IsMap();
  j.Key("config");
  if (ok && (*report)["config"]) {
    WriteJsonNode((*report)["config"], j);
  } else {
    WriteJsonNode(YAML::Node(), j);  // null
  }
  // The resolved config is stored once, above, rather than again inside the report.
  j.Key("report");
  if (ok) {
    j.BeginObject();
    for (auto it = report->begin(); it != report->end(); ++it) {
      if (it->first.Scalar() == "config") continue;
      j.Key(it->first.Scalar());
      WriteJsonNode(it->second, j);
    }
    j.EndObject();
  } else {
    WriteJsonNode(YAML::Node(), j);
  }
  j.EndObject();
  return j.str();
}

PointResult ReadPointRecord(const std::string& text, const std::string& file) {
  const YAML::Node root = LoadJson(text, file);
  const auto fail = [&file](const std::string& message) -> void {
    throw ConfigError({file, 0, 0}, "not a sweep point record: " + message);
  };
  if (!root.IsMap()) fail("expected a JSON object");
  for (const char* key : {"point", "index", "config_hash", "status", "error", "config", "report"}) {
    if (!root[key]) fail(std::string("missing '") + key + "'");
  }
  PointResult r;
  r.id = root["point"].Scalar();
  const std::string index = root["index"].Scalar();
  auto [ptr, ec] = std::from_chars(index.data(), index.data() + index.size(), r.index);
  if (index.empty() || ec != std::errc() || ptr != index.data() + index.size()) {
    fail("'index' is not a point index");
  }
  r.config_hash = root["config_hash"].Scalar();
  if (root["pjsim_build"]) r.build = root["pjsim_build"].Scalar();
  const auto status = ParseStatus(root["status"].Scalar());
  if (!status) fail("unknown status '" + root["status"].Scalar() + "'");
  r.status = *status;
  r.error = root["error"].Scalar();
  if (r.status == PointStatus::kOk) {
    if (!root["report"].IsMap()) fail("an ok point needs its report");
    r.metrics = FlattenReport(root["report"], root["config"]);
  }
  r.json_line = CompactJson(text);
  return r;
}

}  // namespace pjsim::sweep

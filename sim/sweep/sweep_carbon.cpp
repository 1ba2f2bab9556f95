#include "sim/sweep/sweep_carbon.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "sim/config/file_text.h"
#include "sim/config/json_reader.h"
#include "sim/report/atomic_file.h"
#include "sim/report/json_text.h"
#include "sim/report/json_writer.h"

namespace pjsim::sweep {
namespace {

double Seconds(const timeval& t) {
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
}

// The figures of one entry that add up over entries, in carbon.json's order.
constexpr const char* kSummed[] = {
    "points_run",          "cpu_seconds", "wall_seconds", "energy_kwh",
    "facility_energy_kwh", "grams",       "tree_months",  "car_km"};

}  // namespace

double CpuSecondsUsed() {
  double total = 0;
  for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    rusage u{};
    if (::getrusage(who, &u) == 0) total += Seconds(u.ru_utime) + Seconds(u.ru_stime);
  }
  return total;
}

double RecordSweepCarbon(const std::string& dir, const SweepCarbonRun& run, bool first) {
  const std::string path = (std::filesystem::path(dir) / "carbon.json").string();
  YAML::Node runs(YAML::NodeType::Sequence);
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    const YAML::Node old = LoadJson(ReadInputFile(path), path);
    if (old.IsMap() && old["runs"] && old["runs"].IsSequence()) {
      for (const YAML::Node& r : old["runs"]) runs.push_back(r);
    }
  }
  if (!first && runs.size() > 0) {
    YAML::Node kept(YAML::NodeType::Sequence);
    for (size_t i = 0; i + 1 < runs.size(); ++i) kept.push_back(runs[i]);
    runs = kept;
  }
  const CarbonInputs& in = run.inputs;
  const CarbonFootprint f = Footprint(in, run.cpu_seconds * run.w_per_core.value);
  JsonWriter entry;
  entry.BeginObject();
  entry.Field("points_run", static_cast<std::int64_t>(run.points_run));
  entry.Field("cpu_seconds", run.cpu_seconds).Field("wall_seconds", run.wall_seconds);
  entry.Field("cpu", run.cpu).Field("w_per_core", run.w_per_core.value);
  entry.Field("w_per_core_source", run.w_per_core.source);
  entry.Field("location", in.location.key);
  entry.Field("carbon_intensity_g_per_kwh", in.location.g_per_kwh);
  entry.Field("carbon_intensity_source", in.location.source);
  entry.Field("pue", in.pue.value).Field("pue_source", in.pue.source);
  entry.Field("energy_kwh", f.energy_kwh).Field("facility_energy_kwh", f.facility_energy_kwh);
  entry.Field("grams", f.grams).Field("tree_months", f.tree_months).Field("car_km", f.car_km);
  entry.EndObject();
  runs.push_back(LoadJson(entry.str(), path));

  JsonWriter j;
  j.BeginObject();
  j.Field("method", in.method);
  j.Field("formula",
          "energy_kwh = cpu_seconds x w_per_core / 3.6e6; grams = energy_kwh x pue x "
          "carbon_intensity_g_per_kwh; one entry per invocation (first run and each --resume)");
  j.Key("runs");
  WriteJsonNode(runs, j);
  j.Key("total").BeginObject();
  j.Field("runs", static_cast<std::int64_t>(runs.size()));
  double grams = 0;
  for (const char* key : kSummed) {
    double sum = 0;
    for (const YAML::Node& r : runs) {
      if (r[key]) sum += r[key].as<double>();
    }
    j.Field(key, sum);
    if (std::string(key) == "grams") grams = sum;
  }
  j.EndObject();
  j.EndObject();
  WriteFileAtomically(path, j.str());
  return grams;
}

double AppendSweepCarbonShared(const std::string& dir, const SweepCarbonRun& run) {
  const std::string lock_path = (std::filesystem::path(dir) / ".carbon.lock").string();
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create " + lock_path + ": " + std::strerror(errno));
  while (::flock(fd, LOCK_EX) != 0 && errno == EINTR) {
  }
  try {
    const double grams = RecordSweepCarbon(dir, run, true);
    ::close(fd);
    return grams;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

}  // namespace pjsim::sweep

#include "sim/sweep/result_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>

#include "sim/config/file_text.h"
#include "sim/config/json_reader.h"
#include "sim/report/atomic_file.h"
#include "sim/report/json_text.h"
#include "sim/report/json_writer.h"
#include "sim/sweep/output_dir.h"
#include "sim/sweep/results_table.h"

namespace pjsim::sweep {
namespace {

namespace fs = std::filesystem;

bool HasPointFiles(const fs::path& points_dir) {
  std::error_code ec;
  if (!fs::is_directory(points_dir, ec)) return false;
  for (const auto& entry : fs::directory_iterator(points_dir, ec)) {
    if (entry.path().extension() == ".json") return true;
  }
  return false;
}

// Leftovers of a write that a kill interrupted (WriteFileAtomically's "<path>.tmp.<pid>").
void RemoveTemporaries(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return;
  std::vector<fs::path> stale;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().filename().string().find(".tmp.") != std::string::npos) {
      stale.push_back(entry.path());
    }
  }
  for (const auto& p : stale) fs::remove(p, ec);
}

}  // namespace

std::string ManifestJson(const SweepSpec& spec, size_t point_count) {
  JsonWriter j;
  j.BeginObject();
  j.Field("format", "pjsim-sweep-store").Field("version", std::int64_t{1});
  j.Field("name", spec.name).Field("description", spec.description);
  j.Field("spec", fs::path(spec.file).filename().string());
  j.Field("points", static_cast<std::int64_t>(point_count));
  j.Key("axes").BeginArray();
  for (const auto& axis : spec.axes) {
    j.BeginObject();
    j.Field("key", axis.key).Field("unit", axis.unit).Field("zip", axis.zip);
    j.Field("file", axis.IsFileAxis());
    j.Key("values").BeginArray();
    for (const auto& v : axis.values) j.String(v.text);
    j.EndArray();
    j.EndObject();
  }
  j.EndArray();
  j.Key("metrics").BeginArray();
  for (const auto& m : StandardMetrics()) {
    j.BeginObject().Field("name", m.name).Field("unit", m.unit).EndObject();
  }
  j.BeginObject().Field("name", "energy_by_category.*").Field("unit", "pJ").EndObject();
  j.EndArray();
  j.Key("derived").BeginArray();
  for (const auto& d : spec.derived) {
    j.BeginObject().Field("name", d.name).Field("unit", d.unit).Field("expr", d.expr.text());
    j.EndObject();
  }
  j.EndArray();
  j.Key("filters").BeginArray();
  for (const auto& f : spec.filters) {
    j.BeginObject().Field("require", f.require.text()).Field("reason", f.reason).EndObject();
  }
  j.EndArray();
  j.EndObject();
  return j.str();
}

ResultStore::ResultStore(std::string dir, const SweepSpec& spec,
                         const std::vector<DesignPoint>& points, std::string build)
    : dir_(std::move(dir)),
      build_(std::move(build)),
      spec_(spec),
      points_(points),
      results_(points.size()) {}

ResultStore::~ResultStore() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

std::unique_ptr<ResultStore> ResultStore::Open(const std::string& dir, const SweepSpec& spec,
                                               const std::vector<DesignPoint>& points, bool resume,
                                               const std::string& build) {
  const fs::path root = fs::absolute(dir).lexically_normal();
  // Nothing is created, cleaned or locked in a directory that is not empty or already a store.
  RequireOwnOrEmptyDirectory(root, "out", "sweep.json", {".lock", "points", "sweep.json"});
  const fs::path manifest = root / "sweep.json";
  std::error_code ec;
  std::optional<YAML::Node> manifest_json;
  if (fs::exists(manifest, ec)) {
    manifest_json = LoadJson(ReadInputFile(manifest.string()), manifest.string());
    if (!manifest_json->IsMap() || !(*manifest_json)["format"] ||
        (*manifest_json)["format"].Scalar() != "pjsim-sweep-store") {
      throw ConfigError({manifest.string(), 0, 0},
                        "is not a pjsim sweep store's manifest; choose another --out");
    }
  }
  fs::create_directories(root, ec);
  if (ec) throw std::runtime_error("cannot create " + root.string() + ": " + ec.message());
  std::unique_ptr<ResultStore> store(new ResultStore(root.string(), spec, points, build));

  store->Lock(dir, LOCK_EX);

  if (!resume && (fs::exists(manifest, ec) || HasPointFiles(root / "points"))) {
    throw ConfigError({dir, 0, 0},
                      "already holds a results store; pass --resume to continue it or choose "
                      "another --out");
  }
  if (manifest_json) {
    const YAML::Node& m = *manifest_json;
    const std::string count = m["points"] ? m["points"].Scalar() : "";
    if (count != std::to_string(points.size())) {
      throw ConfigError({manifest.string(), 0, 0},
                        "this store holds a sweep of " + (count.empty() ? "?" : count) +
                            " points but " + spec.file + " has " + std::to_string(points.size()) +
                            ": it was made from a different spec; choose another --out");
    }
  }
  fs::remove_all(root / "scratch", ec);
  fs::create_directories(root / "points", ec);
  if (ec)
    throw std::runtime_error("cannot create " + (root / "points").string() + ": " + ec.message());
  RemoveTemporaries(root);
  RemoveTemporaries(root / "points");
  store->LoadPoints();
  store->WriteManifest();
  for (const auto& p : points) {
    if (!p.skip_reason.empty() && !store->Find(p.index)) {
      store->Record(p, PointStatus::kSkipped, p.skip_reason, nullptr);
    }
  }
  return store;
}

std::unique_ptr<ResultStore> ResultStore::OpenForTask(const std::string& dir, const SweepSpec& spec,
                                                      const std::vector<DesignPoint>& points,
                                                      size_t first, size_t end) {
  const fs::path root = fs::absolute(dir).lexically_normal();
  const fs::path manifest = root / "sweep.json";
  std::error_code ec;
  if (!fs::exists(manifest, ec)) {
    throw ConfigError({dir, 0, 0},
                      "holds no results store: an array task runs into the store that `pjsim "
                      "sweep --backend slurm` made");
  }
  const YAML::Node m = LoadJson(ReadInputFile(manifest.string()), manifest.string());
  if (!m.IsMap() || !m["format"] || m["format"].Scalar() != "pjsim-sweep-store" || !m["points"] ||
      m["points"].Scalar() != std::to_string(points.size())) {
    throw ConfigError({manifest.string(), 0, 0}, "is not the manifest of a store of " + spec.file +
                                                     "'s " + std::to_string(points.size()) +
                                                     " points");
  }
  std::unique_ptr<ResultStore> store(
      new ResultStore(root.string(), spec, points, ThisBuildFingerprint()));
  store->Lock(dir, LOCK_SH);
  for (size_t i = first; i < end && i < points.size(); ++i) store->Reload(points[i]);
  return store;
}

void ResultStore::Lock(const std::string& dir, int how) {
  const fs::path path = fs::path(dir_) / ".lock";
  lock_fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) {
    throw std::runtime_error("cannot create " + path.string() + ": " + std::strerror(errno));
  }
  if (::flock(lock_fd_, how | LOCK_NB) != 0) {
    throw ConfigError({"<command line>", 0, 0},
                      "--out " + dir + ": another pjsim sweep is writing this store");
  }
}

void ResultStore::ShareLock() {
  if (::flock(lock_fd_, LOCK_SH | LOCK_NB) != 0) {
    throw std::runtime_error("cannot share the lock of " + dir_ + ": " + std::strerror(errno));
  }
}

bool ResultStore::TryExclusiveLock() { return ::flock(lock_fd_, LOCK_EX | LOCK_NB) == 0; }

void ResultStore::RemoveLeftovers() const {
  const fs::path root(dir_);
  std::error_code ec;
  fs::remove_all(root / "scratch", ec);
  RemoveTemporaries(root);
  RemoveTemporaries(root / "points");
}

const PointResult* ResultStore::Reload(const DesignPoint& point) {
  const fs::path file = PointFile(point);
  std::error_code ec;
  if (!fs::exists(file, ec)) return results_[point.index].get();
  const size_t stale = stale_;  // counted when the store was opened, not at each reload
  const PointResult* result = LoadPoint(file, point.index);
  stale_ = stale;
  return result;
}

const PointResult* ResultStore::LoadPoint(const fs::path& file, size_t index) {
  auto result =
      std::make_unique<PointResult>(ReadPointRecord(ReadInputFile(file.string()), file.string()));
  const DesignPoint& p = points_[index];
  if (result->index != index || result->config_hash != p.config_hash) {
    throw ConfigError({file.string(), 0, 0},
                      "holds config hash " + result->config_hash + " but the spec gives " +
                          p.config_hash + " for point " + p.id + " (" + p.Label(spec_) +
                          "): the store was made from a different spec; choose another --out");
  }
  if (result->build != build_) {
    // Another build's point (or one from before builds were kept): run it again, as missing.
    ++stale_;
    results_[index].reset();
    return nullptr;
  }
  results_[index] = std::move(result);
  return results_[index].get();
}

void ResultStore::LoadPoints() {
  const fs::path dir = fs::path(dir_) / "points";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  for (const auto& file : files) {
    const std::string stem = file.stem().string();
    size_t index = 0;
    auto [ptr, ec] = std::from_chars(stem.data(), stem.data() + stem.size(), index);
    if (stem.empty() || ec != std::errc() || ptr != stem.data() + stem.size() ||
        index >= points_.size() || points_[index].id != stem) {
      throw ConfigError({file.string(), 0, 0},
                        "is not a point of this sweep (" + std::to_string(points_.size()) +
                            " points): the store was made from a different spec");
    }
    LoadPoint(file, index);
  }
}

void ResultStore::WriteManifest() const {
  WriteFileAtomically((fs::path(dir_) / "sweep.json").string(),
                      ManifestJson(spec_, points_.size()));
  WriteFileAtomically((fs::path(dir_) / "spec.yaml").string(), spec_.text);
}

size_t ResultStore::FinishedCount() const {
  size_t n = 0;
  for (const auto& r : results_) n += r ? 1 : 0;
  return n;
}

const PointResult& ResultStore::Record(const DesignPoint& point, PointStatus status,
                                       const std::string& error, const YAML::Node* report) {
  const std::string path = (fs::path(dir_) / "points" / (point.id + ".json")).string();
  const std::string text = PointRecordJson(spec_, point, status, error, report, build_);
  WriteFileAtomically(path, text);
  // Read back through the same path as a resumed store, so both give identical results files.
  results_[point.index] = std::make_unique<PointResult>(ReadPointRecord(text, path));
  return *results_[point.index];
}

void ResultStore::WriteResults() const {
  std::vector<const PointResult*> finished;
  for (const auto& r : results_) {
    if (r) finished.push_back(r.get());
  }
  WriteFileAtomically((fs::path(dir_) / "results.csv").string(),
                      ResultsCsv(spec_, points_, finished));
  WriteFileAtomically((fs::path(dir_) / "results.jsonl").string(), ResultsJsonl(finished));
}

std::string ResultStore::PointFile(const DesignPoint& point) const {
  return (fs::path(dir_) / "points" / (point.id + ".json")).string();
}

std::string ResultStore::ScratchDir(const DesignPoint& point) const {
  return (fs::path(dir_) / "scratch" / point.id).string();
}

void ResultStore::Log(const std::string& line) const {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  ::localtime_r(&now, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &local);
  std::ofstream out(fs::path(dir_) / "run_log.txt", std::ios::app);
  out << stamp << " " << line << "\n";
}

}  // namespace pjsim::sweep

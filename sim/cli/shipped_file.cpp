#include "sim/cli/shipped_file.h"

#include <system_error>
#include <vector>

namespace pjsim::cli {

std::optional<std::string> FindShippedFile(const std::filesystem::path& relative) {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates = {relative};
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path();
         dir = dir.parent_path()) {
      candidates.push_back(dir / relative);
      candidates.push_back(dir / "share/pjsim" / relative);  // cmake --install's layout
    }
  }
  for (const fs::path& c : candidates) {
    if (fs::is_regular_file(c, ec)) return c.string();
  }
  return std::nullopt;
}

}  // namespace pjsim::cli

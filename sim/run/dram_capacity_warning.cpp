#include "sim/run/dram_capacity_warning.h"

#include <cstdint>
#include <iomanip>
#include <sstream>

#include "sim/mapping/tensor_placement.h"

namespace pjsim {
namespace {

// GiB, or MiB below one (two decimals either way).
std::string Size(std::uint64_t bytes) {
  const bool gib = bytes >= (1ULL << 30);
  std::ostringstream s;
  s << std::fixed << std::setprecision(2)
    << static_cast<double>(bytes) / static_cast<double>(gib ? 1ULL << 30 : 1ULL << 20)
    << (gib ? " GiB" : " MiB");
  return s.str();
}

}  // namespace

std::string DramCapacityWarning(const RunConfig& config) {
  const DramConfig& dram = config.arch.dram;
  const std::uint64_t capacity = dram.CapacityBytes();
  if (capacity == 0) return "";
  const std::uint64_t footprint = PlaceTensors(config.arch, config.workload).bytes;
  if (footprint <= capacity) return "";
  std::ostringstream s;
  s << config.arch.file << ": dram: the workload's tensors take " << Size(footprint)
    << ", more than the " << Size(capacity) << " its " << dram.channels.size() << " '" << dram.model
    << "' channel" << (dram.channels.size() == 1 ? "" : "s") << " address ("
    << Size(dram.params->ChannelCapacityBytes())
    << " each); addresses past that wrap onto the rows below (as DRAMsim3 and Ramulator 2 map "
       "them), so row hits and conflicts between those tensors are an artefact: give the preset "
       "more rows or ranks, or the architecture more channels";
  return s.str();
}

}  // namespace pjsim

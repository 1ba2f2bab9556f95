#include "models/memory/jedec_power.h"

namespace pjsim {

JedecEnergy::JedecEnergy(const JedecParams& p) {
  const double scale = p.VDD * static_cast<double>(p.devices_per_rank);  // mA x ns -> pJ per rank
  const auto ns = [&](std::int64_t clocks) { return static_cast<double>(clocks) * p.tCK; };
  act_pj = scale * (p.IDD0 * ns(p.tRC) - p.IDD3N * ns(p.tRAS) - p.IDD2N * ns(p.tRC - p.tRAS));
  read_pj = scale * (p.IDD4R - p.IDD3N) * ns(p.BurstClocks());
  write_pj = scale * (p.IDD4W - p.IDD3N) * ns(p.BurstClocks());
  refresh_pj = p.per_bank_refresh ? scale * (p.IDD5PB - p.IDD3N) * ns(p.tRFCpb)
                                  : scale * (p.IDD5B - p.IDD3N) * ns(p.tRFC);
  precharge_standby = scale * p.IDD2N;
  active_standby = scale * p.IDD3N;
  precharge_powerdown = scale * p.IDD2P;
  active_powerdown = scale * p.IDD3P;
  io_pj_per_bit = p.io_pj_per_bit;
}

}  // namespace pjsim

#pragma once
// Energy of DRAM commands and states from datasheet currents, by the method of Micron TN-41-01
// ("Calculating Memory System Power for DDR3", also the basis of DRAMPower): each command is
// charged the current it draws above the standby current it displaces, times VDD, times its
// duration, times the devices of a rank. mA x V x ns = pJ.
#include "models/memory/jedec_params.h"

namespace pjsim {

struct JedecEnergy {
  double act_pj = 0;    // one ACT plus its PRE: (IDD0 tRC - IDD3N tRAS - IDD2N (tRC - tRAS))
  double read_pj = 0;   // one read burst: (IDD4R - IDD3N) x burst time
  double write_pj = 0;  // one write burst: (IDD4W - IDD3N) x burst time
  // One refresh command: all-bank (IDD5B - IDD3N) x tRFC, or with refresh_mode: per_bank one
  // per-bank refresh (IDD5PB - IDD3N) x tRFCpb.
  double refresh_pj = 0;
  // Background power of one rank, pJ per ns, by state.
  double precharge_standby = 0;    // IDD2N
  double active_standby = 0;       // IDD3N
  double precharge_powerdown = 0;  // IDD2P
  double active_powerdown = 0;     // IDD3P
  double io_pj_per_bit = 0;

  explicit JedecEnergy(const JedecParams& p);
};

}  // namespace pjsim

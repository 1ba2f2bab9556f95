#pragma once
// How a bank of a JEDEC channel changes rows when the channel serves each transaction whole at
// its arrival (the platform's `interleave_transactions: false`), measured on the channel's own
// controller: requests alternating between two rows of one bank against the same requests all
// in one row. Whole-row requests give the gap from a bank's last data to another row's first
// (the precharge waits for the reads, tRTP; then tRP, tRCD and CL); one-burst requests the
// spacing of their first data (the row cycle, tRC, binds). The mapping search's cost model
// charges them where a layer's transfers alternate rows of a bank (ModelParams::RowSwitch).
#include "models/memory/jedec_params.h"

namespace pjsim {

// In picoseconds.
DramRowSwitch JedecRowSwitchPs(const JedecParams& p);

// The data-bus time the channel loses per turn between a read transaction and a write, in
// picoseconds: whole-row reads and writes (in two banks of one rank, every request a row hit)
// alternating, against the same requests with all the reads first, per turn the alternation
// adds. That is the bus the turn idles (the read-to-write gap; tWTR and CL after writes) less
// what a boundary between two such requests of one direction idles anyway (tCCD_L or tCCD_L_WR
// beyond a burst where a row's bursts stay in one bank group): HBM2E 19 clocks, DDR4-3200 10,
// DDR5-4800 14 (tests/unit/jedec_sustained_rate_test.cpp).
double JedecBusTurnaroundPs(const JedecParams& p);

}  // namespace pjsim

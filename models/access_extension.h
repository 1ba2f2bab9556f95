#pragma once
// TLM-2.0 extension carried by every pjsim memory transaction: which layer to charge, and the
// time the DRAM put the first byte on its bus (so the NoC can cut the data through).
#include <cstdint>
#include <tlm>

namespace pjsim {

struct AccessExtension : tlm::tlm_extension<AccessExtension> {
  int layer = 0;
  std::uint64_t data_start_ps = 0;  // set by the DRAM channel on reads

  tlm::tlm_extension_base* clone() const override { return new AccessExtension(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    *this = static_cast<const AccessExtension&>(other);
  }
};

}  // namespace pjsim

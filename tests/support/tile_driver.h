#pragma once
// Tests of a NoC or DRAM model inside the platform's sockets, without compute tiles: a SystemC
// module that issues TLM transactions from the tiles of a mesh as a test's script says, bound
// where the platform's tiles bind (a NoC model's `tile_socket`), and a harness of the platform's
// NoC with it.
#include <tlm_utils/simple_initiator_socket.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <systemc>
#include <tlm>
#include <utility>
#include <vector>

#include "models/access_extension.h"
#include "models/noc/noc_model.h"
#include "models/platform_context.h"
#include "sim/config/noc_model_registry.h"
#include "sim/energy/energy_ledger.h"
#include "sim/energy/platform_actions.h"
#include "sim/run/run_config.h"

namespace pjsim::test {

struct TileDriver : sc_core::sc_module {
  std::vector<std::unique_ptr<tlm_utils::simple_initiator_socket<TileDriver>>> sockets;
  std::function<void(TileDriver&)> script;  // run by the module's thread from time 0
  AccessExtension* ext = new AccessExtension;
  tlm::tlm_generic_payload payload;

  TileDriver(sc_core::sc_module_name name, int tiles) : sc_core::sc_module(name) {
    for (int t = 0; t < tiles; ++t) {
      sockets.push_back(std::make_unique<tlm_utils::simple_initiator_socket<TileDriver>>(
          ("tile" + std::to_string(t)).c_str()));
    }
    payload.set_extension(ext);
    SC_HAS_PROCESS(TileDriver);
    SC_THREAD(Run);
  }
  void Run() { script(*this); }
  // One transaction from `tile`, issued now (a read to every tile of `multicast` if given).
  // Returns when it completes (absolute ps) without waiting for it, as a tile's loader and
  // storer issue theirs.
  std::uint64_t Transfer(int tile, bool read, std::uint64_t address, unsigned bytes,
                         std::span<const int> multicast = {}) {
    payload.set_command(read ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND);
    payload.set_address(address);
    payload.set_data_length(bytes);
    ext->multicast = multicast;
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    (*sockets[static_cast<size_t>(tile)])->b_transport(payload, delay);
    return Now() + static_cast<std::uint64_t>(delay.value());
  }
};

// A platform's NoC (the model `config.arch.noc.model` names) with a TileDriver in its tiles'
// place. A test binds the DRAM channels to `noc->channel_socket` (in channel order), then runs a
// script.
struct MeshHarness {
  RunConfig config;
  EnergyLedger ledger{{"l0"}};  // one layer: every transaction is charged to layer 0
  PlatformActions actions;
  std::unique_ptr<PlatformContext> ctx;
  std::unique_ptr<NocModel> noc;
  std::unique_ptr<TileDriver> driver;

  explicit MeshHarness(RunConfig loaded) : config(std::move(loaded)) {
    actions = RegisterPlatformActions(ledger, config.arch, config.tech);
    ctx = std::make_unique<PlatformContext>(
        PlatformContext{config.arch,
                        config.tech,
                        ledger,
                        actions,
                        static_cast<std::uint64_t>(std::llround(1e12 / config.arch.clock_hz)),
                        {},
                        nullptr,
                        {},
                        nullptr});
    noc = NocModelRegistry().Get(config.arch.noc.model).make("noc", *ctx);
    driver = std::make_unique<TileDriver>("driver", static_cast<int>(config.arch.TileCount()));
    for (auto& s : driver->sockets) s->bind(noc->tile_socket);
  }
  void Run(std::function<void(TileDriver&)> script) {
    driver->script = std::move(script);
    sc_core::sc_start();
  }
};

}  // namespace pjsim::test

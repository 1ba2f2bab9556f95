// pjsim executable entry point. pjsim defines main() itself (taking precedence over the one in
// libsystemc) so that the SystemC banner can be silenced before the kernel first starts; each
// simulation then builds its own kernel context (models/simulation_context.h).
#include <cstdlib>

#include "sim/cli/command.h"

// libsystemc references sc_main (declared extern "C" in sc_externs.h); pjsim's main never
// hands control to the library's, so this only satisfies the linker.
extern "C" int sc_main(int argc, char* argv[]) { return pjsim::cli::Main(argc, argv); }

int main(int argc, char* argv[]) {
  ::setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return pjsim::cli::Main(argc, argv);
}

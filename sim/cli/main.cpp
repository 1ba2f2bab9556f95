// pjsim executable entry point. libsystemc supplies main() and calls sc_main().
#include "sim/cli/command.h"

// Declared extern "C" by SystemC (sc_externs.h).
extern "C" int sc_main(int argc, char* argv[]) { return pjsim::cli::Main(argc, argv); }

// pjsim executable entry point. libsystemc supplies main() and calls sc_main().
#include "sim/cli/command.h"

int sc_main(int argc, char* argv[]) { return pjsim::cli::Main(argc, argv); }

// libsystemc defines main() and references sc_main(); GoogleTest binaries bring their own main()
// (gtest_main), so this sc_main only satisfies the linker and is never called.
extern "C" int sc_main(int /*argc*/, char* /*argv*/[]) { return 0; }

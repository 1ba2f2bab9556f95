#!/usr/bin/env bash
# The suites under AddressSanitizer + UndefinedBehaviorSanitizer, and the libFuzzer targets of
# tests/fuzz, from one clang build in ./build-san (RTL and benchmarks off; ccache):
#   bash tools/check_sanitized.sh tests   -> unit, validation and e2e suites (ctest)
#   bash tools/check_sanitized.sh fuzz    -> every fuzz target for PJSIM_FUZZ_RUNS inputs each
#   bash tools/check_sanitized.sh all     -> both (what CI runs)
# Any sanitizer report fails the run (-fno-sanitize-recover). Fuzzing is deterministic: a fixed
# seed, the seed corpus (shipped configs and tests/fuzz/corpus/) and a number of inputs rather
# than a time budget, so CI gives the same verdict on every machine (a time budget found an input
# on one run and not on the next). A crash input is kept in build-san/fuzz-crashes/: add it to
# tests/fuzz/corpus/TARGET/ with the fix, so every run replays it.
# Needs clang and libclang-rt-14-dev (tools/bootstrap.sh installs them).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
what=${1:-all}
build=${PJSIM_SAN_BUILD_DIR:-$here/build-san}
jobs=${PJSIM_JOBS:-$(nproc)}
runs=${PJSIM_FUZZ_RUNS:-20000}
case "$what" in tests | fuzz | all) ;; *)
  echo "usage: tools/check_sanitized.sh [tests|fuzz|all]" >&2
  exit 2
  ;;
esac

tests=OFF
[ "$what" != fuzz ] && tests=ON
# -O1 with line tables only: a fraction of the -O2 -g compile time, and stack traces still name
# the line.
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" -DCMAKE_CXX_COMPILER=clang++ -DPJSIM_SANITIZE=ON -DPJSIM_FUZZ=ON -DPJSIM_BUILD_TESTS="$tests" \
  -DPJSIM_BUILD_RTL=OFF -DPJSIM_BUILD_BENCH=OFF -DPJSIM_WERROR=OFF >&2
cmake --build "$build" -j "$jobs" >&2

export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
# Leak checking is off: the SystemC kernel keeps its static objects to the end of the process.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

if [ "$what" != fuzz ]; then
  (cd "$build" && ctest --output-on-failure -j "$jobs" --timeout 900 -L 'unit|validation|e2e')
fi

if [ "$what" != tests ]; then
  seeds() {  # target -> seed files, one per line
    case "$1" in
      fuzz_validate)
        ls "$here"/configs/arch/*.yaml "$here"/configs/tech/*.yaml "$here"/workloads/*.yaml |
          grep -v -e '\.prefill2048\.' -e '\.decode128\.'
        ;;
      fuzz_import_hf) ls "$here"/workloads/hf/*.json ;;
      fuzz_import_ramulator2) ls "$here"/tests/data/ramulator2/*.yaml ;;
      fuzz_sweep_spec) ls "$here"/configs/sweeps/*.yaml "$here"/configs/studies/*.yaml ;;
      *) ;;
    esac
    local own="$here/tests/fuzz/corpus/${1#fuzz_}"
    if [ -d "$own" ]; then find "$own" -type f; fi
  }
  failed=()
  mkdir -p "$build/fuzz-crashes"
  for exe in "$build"/tests/fuzz/pjsim_fuzz_*; do
    target=$(basename "$exe")
    target=${target#pjsim_}
    corpus="$build/fuzz-corpus/$target"
    mkdir -p "$corpus"
    while IFS= read -r f; do cp -f "$f" "$corpus/seed-$(basename "$f")"; done < <(seeds "$target")
    # `sweep --dry-run` loads every point's configuration: ~30 inputs/s against ~800.
    n=$runs
    [ "$target" = fuzz_sweep_spec ] && n=$((runs / 8))
    # The DRAM inputs each run a channel simulation after the parse: a quarter as many.
    case "$target" in fuzz_import_ramulator2 | fuzz_dramsim3_ini | fuzz_dram_trace) n=$((runs / 4)) ;; esac
    # The timeout catches hangs, not slow valid inputs: the shipped SNN study spec (500 points)
    # takes 8 s of CPU under the sanitizers, and 14-20 s of wall time on a loaded 2-core machine.
    timeout=20
    [ "$target" = fuzz_sweep_spec ] && timeout=90
    echo "fuzz: $target, $n inputs" >&2
    if ! "$exe" -seed=1 -runs="$n" -timeout="$timeout" -rss_limit_mb=4096 -max_len=65536 \
      -artifact_prefix="$build/fuzz-crashes/$target-" "$corpus" >"$build/fuzz-$target.log" 2>&1; then
      failed+=("$target")
      tail -40 "$build/fuzz-$target.log" >&2
    fi
  done
  if ((${#failed[@]})); then
    echo "fuzz: findings in ${failed[*]} (inputs in $build/fuzz-crashes/)" >&2
    exit 1
  fi
  echo "fuzz: no findings" >&2
fi

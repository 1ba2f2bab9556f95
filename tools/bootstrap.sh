#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine: installs what is missing, configures and builds
# pjsim in ./build, then runs what was asked:
#   bash tools/bootstrap.sh study   -> the default study (summary table on stdout)
#   bash tools/bootstrap.sh test    -> the whole test suite through ctest
#   bash tools/bootstrap.sh build   -> set-up and build only
#   bash tools/bootstrap.sh sanitized -> also clang: the suites under ASan + UBSan and the fuzz
#                                        targets (tools/check_sanitized.sh all; CI runs it)
# Idempotent and non-interactive; works as root or with sudo.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
action=${1:-study}
build_dir=${PJSIM_BUILD_DIR:-$here/build}
jobs=${PJSIM_JOBS:-$(nproc)}

packages=(build-essential cmake ninja-build pkg-config ccache libsystemc-dev verilator
  libboost-graph-dev libyaml-cpp-dev nlohmann-json3-dev libgtest-dev libgmock-dev python3 python3-matplotlib
  python3-numpy python3-yaml python3-dev pybind11-dev yosys clang-format)
# A single-node Slurm for the sweep backend's test (tests/slurm/, tools/slurm/).
packages+=(slurm-wlm munge)
# libFuzzer and the sanitizer runtimes come with clang.
[ "$action" = sanitized ] && packages+=(clang libclang-rt-14-dev)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "pjsim setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2
fi

# ccache (used when installed): paths relative to the checkout and the build directory left out
# of the hash, so that another clone of the same sources (a CI checkout) reuses the objects.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$here}"
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"

werror=OFF
[ "${CI:-}" = "true" ] && werror=ON
cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPJSIM_WERROR="$werror" ${PJSIM_CMAKE_ARGS:-} >&2
cmake --build "$build_dir" -j "$jobs" >&2

export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
case "$action" in
  build) ;;
  study)
    "$build_dir/pjsim" run --arch "$here/configs/arch/default.yaml" \
      --workload "$here/workloads/ffn_bitnet_prefill128.yaml" --out "$here/out/default"
    ;;
  test)
    cd "$build_dir"
    ctest --output-on-failure -j "$jobs" --timeout 900 ${PJSIM_CTEST_ARGS:-}
    ;;
  sanitized)
    bash "$here/tools/check_sanitized.sh" all
    ;;
  *)
    echo "usage: tools/bootstrap.sh [study|test|build|sanitized]" >&2
    exit 2
    ;;
esac

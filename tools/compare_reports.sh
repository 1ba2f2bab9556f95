#!/usr/bin/env bash
# Report identity across commits: builds `pjsim` at two revisions (git worktrees, RTL and tests
# off, ccache), runs the same shipped cases with each from inside its own tree (relative paths,
# so the outputs name no worktree), and compares every output byte for byte: report.json,
# layers.csv, config.yaml, the exit code and what each run printed; for the study sweeps the
# results.csv and every point's report.
#   tools/compare_reports.sh [--quick|--full] OLD_REV [NEW_REV]     (NEW_REV defaults to HEAD)
# --quick: every small workload on every shipped architecture (a minute or two);
# default: also the study sweeps (configs/studies/*.yaml, configs/sweeps/*.yaml);
# --full: also the whole-model workloads (workloads/*.prefill2048.yaml, *.decode128.yaml).
# Each revision's outputs are kept in PJSIM_COMPARE_DIR (default: a fresh temporary directory)
# under its commit and mode, so comparing several new commits against one old one runs the old
# one once.
# Exit 0 when every output is identical; 1 with the differing files listed otherwise.
set -euo pipefail
mode=default
case "${1:-}" in
  --quick | --full) mode=${1#--}; shift ;;
esac
old=${1:?usage: tools/compare_reports.sh [--quick|--full] OLD_REV [NEW_REV]}
new=${2:-HEAD}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=${PJSIM_COMPARE_DIR:-$(mktemp -d)}
jobs=${PJSIM_JOBS:-$(nproc)}
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

build_rev() {  # rev -> prints the tree holding build/pjsim
  local rev=$1 sha tree
  sha=$(git -C "$here" rev-parse --verify "$rev^{commit}")
  tree=$work/tree-$sha
  if [ ! -d "$tree" ]; then
    git -C "$here" worktree add --detach "$tree" "$sha" >&2
  fi
  cmake -S "$tree" -B "$tree/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DPJSIM_BUILD_RTL=OFF -DPJSIM_BUILD_TESTS=OFF -DPJSIM_BUILD_BENCH=OFF >/dev/null
  cmake --build "$tree/build" -j "$jobs" --target pjsim >&2
  echo "$tree"
}

run_case() {  # tree out name args...
  local tree=$1 out=$2 name=$3
  shift 3
  local status=0
  (cd "$tree" && build/pjsim "$@" >"$out/$name.stdout" 2>"$out/$name.stderr") || status=$?
  echo "$status" >"$out/$name.exit"
}

run_all() {  # tree out
  local tree=$1 out=$2 arch w name
  mkdir -p "$out"
  for arch in "$tree"/configs/arch/*.yaml; do
    for w in "$tree"/workloads/*.yaml; do
      case "$w" in
        *.prefill2048.yaml | *.decode128.yaml) continue ;;
      esac
      name=$(basename "$arch" .yaml)__$(basename "$w" .yaml)
      run_case "$tree" "$out" "$name" run --arch "configs/arch/$(basename "$arch")" \
        --workload "workloads/$(basename "$w")" --out "compare-out/$name" --quiet
    done
  done
  if [ "$mode" = full ]; then
    for w in "$tree"/workloads/*.prefill2048.yaml "$tree"/workloads/*.decode128.yaml; do
      name=mesh8x8-int8-hbm__$(basename "$w" .yaml)
      run_case "$tree" "$out" "$name" run --arch configs/arch/mesh8x8-int8-hbm.yaml \
        --workload "workloads/$(basename "$w")" --out "compare-out/$name" --quiet
    done
  fi
  if [ "$mode" != quick ]; then
    for spec in "$tree"/configs/studies/*.yaml "$tree"/configs/sweeps/*.yaml; do
      name=sweep__$(basename "$spec" .yaml)
      run_case "$tree" "$out" "$name" sweep "${spec#"$tree"/}" -j "$jobs" \
        --out "compare-out/$name"
    done
  fi
  # Wall-clock and host facts are the only fields allowed to differ between two runs.
  find "$tree/compare-out" -name 'report.json' -print0 |
    xargs -0 -r sed -i -E '/"(wall_seconds|wall_s|elapsed_s|host|started|finished)"/d'
  rm -rf "$out/outputs"
  mv "$tree/compare-out" "$out/outputs"
}

outputs_of() {  # rev -> prints the directory holding its outputs, running them if needed
  local rev=$1 sha tree out
  sha=$(git -C "$here" rev-parse --verify "$rev^{commit}")
  out=$work/out-$sha-$mode
  if [ ! -e "$out/complete" ]; then
    tree=$(build_rev "$sha")
    rm -rf "$out"
    run_all "$tree" "$out"
    touch "$out/complete"
  fi
  echo "$out"
}

old_out=$(outputs_of "$old")
new_out=$(outputs_of "$new")
if diff -r -q -x 'sweep.log' -x '*.lock' "$old_out" "$new_out" >"$work/diff.txt"; then
  echo "identical: $(find "$old_out" -type f | wc -l) files ($old vs $new, mode $mode)"
else
  echo "DIFFERENT ($old vs $new, mode $mode):"
  cat "$work/diff.txt"
  exit 1
fi

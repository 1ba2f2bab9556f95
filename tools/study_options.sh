# The options every study script takes, in any order (sourced by tools/study_*.sh and
# tools/claims_docs.sh; tools/snn_vs_qann.py takes the same):
#   --build DIR         the build directory holding pjsim (default: $PJSIM_BUILD_DIR, else the
#                       repository's build/; $PJSIM names the executable itself)
#   -j N, --jobs N      points (or runs) at once
#   --memory simple|jedec-packet   the DRAM and NoC models, where the study has both
#   -h, --help          the script's header comment
# Anything else is an error (one line, exit status 2), never ignored.
#
# study_options NAME MEMORY SWITCHES -- "$@": NAME for messages; MEMORY 1 if --memory is taken;
# SWITCHES the script's own flags without a value (space-separated, e.g. "--equal-area"). Sets
# study_pjsim, study_jobs ("" if not given), study_memory (simple by default) and the array
# study_switches (the script's own flags given).
study_options() {
  local name=$1 memory=$2 switches=$3
  shift 4
  local script=${BASH_SOURCE[1]}
  local build=${PJSIM_BUILD_DIR:-$(cd "$(dirname "$script")/.." && pwd)/build}
  local explicit_build=""
  study_jobs=""
  study_memory=simple
  study_switches=()
  fail() { echo "$name: $*" >&2; exit 2; }
  while [ $# -gt 0 ]; do
    case $1 in
      --build | --build=*)
        if [ "$1" = --build ]; then [ $# -ge 2 ] || fail "--build needs a directory"; explicit_build=$2; shift
        else explicit_build=${1#--build=}; fi ;;
      -j | --jobs | --jobs=*)
        local n
        if [[ $1 == --jobs=* ]]; then n=${1#--jobs=}
        else [ $# -ge 2 ] || fail "$1 needs a number"; n=$2; shift; fi
        [[ $n =~ ^[1-9][0-9]*$ ]] || fail "-j needs a positive integer, got '$n'"
        study_jobs=$n ;;
      --memory | --memory=*)
        [ "$memory" = 1 ] || fail "unknown argument '$1': this study has one memory system (see --help)"
        local m
        if [ "$1" = --memory ]; then m=${2:-}; [ $# -ge 2 ] && shift; else m=${1#--memory=}; fi
        case $m in
          simple | jedec-packet) study_memory=$m ;;
          *) fail "--memory takes simple or jedec-packet, got '$m'" ;;
        esac ;;
      -h | --help)
        sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$script"
        exit 0 ;;
      *)
        if [ -n "$switches" ] && [[ " $switches " == *" $1 "* ]]; then
          study_switches+=("$1")
        else
          fail "unknown argument '$1' (see $name --help)"
        fi ;;
    esac
    shift
  done
  if [ -n "$explicit_build" ]; then
    [ -d "$explicit_build" ] || fail "--build $explicit_build: no such directory"
    study_pjsim=$(cd "$explicit_build" && pwd)/pjsim
  elif [ -n "${PJSIM:-}" ]; then
    study_pjsim=$PJSIM
    # Absolute, since the scripts run their commands from the repository root.
    if [[ $study_pjsim == */* ]]; then study_pjsim=$(cd "$(dirname "$study_pjsim")" && pwd)/$(basename "$study_pjsim"); fi
  else
    study_pjsim=$build/pjsim
  fi
}

#!/usr/bin/env bash
# Rewrites README.md's CLI reference between its cli-reference markers with what the pjsim binary
# prints for `pjsim help --markdown` (made from each subcommand's flag declarations,
# sim/cli/command_spec.h). The e2e test CliReference.ReadmeMatchesTheBinary fails until this is
# run after a flag or its help changes.
#   tools/update_cli_reference.sh [--build DIR] [--check] [--help]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${PJSIM_BUILD_DIR:-$here/build}
check=0
usage() { sed -n '2,6s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
while [ $# -gt 0 ]; do
  case $1 in
    --build) [ $# -ge 2 ] || { echo "update_cli_reference.sh: --build needs a directory" >&2; exit 2; }
             build=$2; shift 2 ;;
    --check) check=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "update_cli_reference.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -x "$build/pjsim" ] || { echo "update_cli_reference.sh: no pjsim in '$build' (build it, or --build DIR)" >&2; exit 2; }
reference=$(mktemp)
trap 'rm -f "$reference"' EXIT
"$build/pjsim" help --markdown > "$reference"
python3 - "$here/README.md" "$reference" "$check" <<'PY'
import sys
readme, reference, check = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
begin = "<!-- cli-reference:begin (tools/update_cli_reference.sh writes this block) -->\n"
end = "<!-- cli-reference:end -->\n"
text = open(readme, encoding="utf-8").read()
if text.count(begin) != 1 or text.count(end) != 1:
    sys.exit(f"update_cli_reference.sh: {readme} needs one '{begin.strip()}' and one '{end.strip()}' line")
head, rest = text.split(begin, 1)
old, tail = rest.split(end, 1)
new = open(reference, encoding="utf-8").read()
if check:
    if old != new:
        sys.exit(f"update_cli_reference.sh: {readme}'s CLI reference differs from pjsim help --markdown")
    sys.exit(0)
if old != new:
    open(readme, "w", encoding="utf-8").write(head + begin + new + end + tail)
    print(f"{readme}: CLI reference regenerated")
PY

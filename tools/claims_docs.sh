#!/usr/bin/env bash
# Regenerates the claims tables of docs/CLAIMS.md and README.md: runs every claim of
# configs/claims/ with `pjsim claims` into out/claims/ and puts its claims.md between the table
# markers of docs/CLAIMS.md (whole, footnotes with every run included) and its table rows between
# those of README.md (footnote marks dropped: the runs are listed in docs/CLAIMS.md).
#   tools/claims_docs.sh [--build DIR] [-j N]
# Options in any order (tools/study_options.sh); a first argument without a dash is taken as
# the build directory, as before.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ $# -gt 0 ] && [[ $1 != -* ]]; then set -- --build "$@"; fi
source "$here/tools/study_options.sh"
study_options claims_docs.sh 0 "" -- "$@"
cd "$here"
jobs=()
if [ -n "$study_jobs" ]; then jobs=(-j "$study_jobs"); fi
"$study_pjsim" claims --out out/claims ${jobs[@]+"${jobs[@]}"}
python3 - <<'PY'
import pathlib
import re
page = pathlib.Path("docs/CLAIMS.md")
text = page.read_text(encoding="utf-8")
begin, end = "<!-- claims table: tools/claims_docs.sh -->\n", "<!-- end of claims table -->\n"
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
table = pathlib.Path("out/claims/claims.md").read_text(encoding="utf-8")
page.write_text(head + begin + table + end + tail, encoding="utf-8")
print("docs/CLAIMS.md: table regenerated from out/claims/claims.md")
readme = pathlib.Path("README.md")
text = readme.read_text(encoding="utf-8")
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
rows = "".join(re.sub(r" \[\^[A-Za-z0-9_]+\]", "", line) + "\n"
               for line in table.splitlines() if line.startswith("|"))
readme.write_text(head + begin + rows + end + tail, encoding="utf-8")
print("README.md: claims table regenerated from out/claims/claims.md")
PY

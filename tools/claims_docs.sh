#!/usr/bin/env bash
# Regenerates the claims tables of docs/CLAIMS.md and README.md: runs every claim of
# configs/claims/ with `pjsim claims` into out/claims/ and puts its claims.md between the table
# markers of docs/CLAIMS.md (whole, footnotes with every run included) and its table rows between
# those of README.md (footnote marks dropped: the runs are listed in docs/CLAIMS.md).
#   tools/claims_docs.sh [BUILD_DIR] [-j N]      (BUILD_DIR defaults to ./build)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
build=build
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  build=$1
  shift
fi
"$build/pjsim" claims --out out/claims "$@"
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

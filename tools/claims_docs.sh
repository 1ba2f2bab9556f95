#!/usr/bin/env bash
# Regenerates the claims table of docs/CLAIMS.md: runs every claim of configs/claims/ with
# `pjsim claims` into out/claims/ and puts its claims.md between the table markers of the page.
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
page = pathlib.Path("docs/CLAIMS.md")
text = page.read_text(encoding="utf-8")
begin, end = "<!-- claims table: tools/claims_docs.sh -->\n", "<!-- end of claims table -->\n"
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
table = pathlib.Path("out/claims/claims.md").read_text(encoding="utf-8")
page.write_text(head + begin + table + end + tail, encoding="utf-8")
print("docs/CLAIMS.md: table regenerated from out/claims/claims.md")
PY

#!/usr/bin/env bash
# Rebuilds every figure in docs/figures (see make_all.py: it prints its plan first and runs no
# sweep without --yes), with a Python that has
# matplotlib: Debian's /usr/bin/python3 (python3-matplotlib, installed by tools/bootstrap.sh)
# when the python3 on PATH lacks it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=python3
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c "import matplotlib" 2>/dev/null; then
    python=$candidate
    break
  fi
done
exec "$python" "$here/make_all.py" "$@"

#!/usr/bin/env bash
# Checks every C++ file of the repository against .clang-format (clang-format 14, Debian 12's);
# prints the files that differ and exits 1. With --fix, reformats them in place instead.
#   tools/check_format.sh [--fix]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
format=${CLANG_FORMAT:-$(command -v clang-format-14 || command -v clang-format || true)}
if [ -z "$format" ]; then
  echo "check_format: clang-format not found (Debian package clang-format; tools/bootstrap.sh installs it)" >&2
  exit 2
fi
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files -- '*.h' '*.cpp' '*.hpp' '*.cc')
else
  mapfile -t files < <(find sim models rtl tests -name '*.h' -o -name '*.cpp' | sort)
fi
if [ "${1:-}" = "--fix" ]; then
  "$format" -i --style=file "${files[@]}"
  exit 0
fi
# One clang-format process for all files; each file that differs is named in its diagnostics.
bad=$("$format" --style=file --dry-run "${files[@]}" 2>&1 |
  sed -n -E 's/^([^:]+):[0-9]+:[0-9]+: (warning|error): code should be clang-formatted.*/\1/p' |
  sort -u)
if [ -n "$bad" ]; then
  printf '%s: not formatted (run tools/check_format.sh --fix)\n' $bad
  exit 1
fi

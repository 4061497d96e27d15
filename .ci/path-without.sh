#!/usr/bin/env bash
# Prints a PATH under which the named programs are not found: one temporary folder of symlinks to
# every other program on the current PATH (first one found wins, as in a PATH lookup). .ci/run runs
# the test suite under it to show that `npm test` needs no program outside npm and the base image.
#   usage: PATH="$(.ci/path-without.sh xmllint sqlite3 ...)"
set -euo pipefail
dir=$(mktemp -d "${TMPDIR:-/tmp}/asyncscope-path.XXXXXX")
declare -A skip=()
for name in "$@"; do skip[$name]=1; done
IFS=: read -ra entries <<<"$PATH"
for entry in "${entries[@]}"; do
  [ -d "$entry" ] || continue
  for program in "$entry"/*; do
    name=${program##*/}
    [ -x "$program" ] && [ ! -d "$program" ] || continue
    [ -z "${skip[$name]:-}" ] || continue
    [ -e "$dir/$name" ] || ln -s "$program" "$dir/$name"
  done
done
echo "$dir"

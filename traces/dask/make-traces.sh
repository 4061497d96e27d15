#!/bin/bash
# Makes the Dask distributed samples in this folder from scratch with Debian 12's
# python3-distributed (2022.12), then expected.json from the saved files (figures.py).
#
#   traces/dask/make-traces.sh        # as root, or with the packages already installed
#
# Samples (see README.md): paper-example (2 workers x 2 threads, transfers, one erred
# task) and spill (the same graph with 16 MiB arrays and a tiny memory target, so that
# disk-write and disk-read startstops appear). Timings and ports differ from one
# invocation to the next; expected.json is remade with them.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3  # Debian's Python: the one the apt packages are installed for

if ! "$PY" -c "import distributed, numpy" 2>/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "make-traces.sh: install Debian's packages first: apt-get install python3-distributed python3-numpy" >&2
    exit 2
  fi
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-distributed python3-numpy
fi

for sample in paper-example spill; do
  rm -rf "${here:?}/$sample"
done
"$PY" "$here/workflow.py" "$here/paper-example"
"$PY" "$here/workflow.py" "$here/spill" --spill

"$PY" - > "$here/versions.txt" <<'PYEOF'
import platform, dask, distributed, numpy
print("distributed", distributed.__version__)
print("dask", dask.__version__)
print("numpy", numpy.__version__)
print("Python", platform.python_version())
PYEOF
sed -n 's/^PRETTY_NAME="\(.*\)"/\1/p' /etc/os-release >> "$here/versions.txt"

"$PY" "$here/figures.py" "$here/paper-example" "$here/spill" > "$here/expected.json"
echo "wrote $here/expected.json" >&2

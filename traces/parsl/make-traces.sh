#!/usr/bin/env bash
# Regenerates the Parsl monitoring databases of this folder by running Parsl itself (see README.md).
#
#   PARSL_SRC=/tmp/parsl-new PARSL_NAME=2026.07.27-1-gb8b474c7a \
#   PARSL_OLD_SRC=/tmp/parsl-1.0.0 PARSL_MID_SRC=/tmp/parsl-1.1.0 bash traces/parsl/make-traces.sh
#
# PARSL_SRC      current Parsl source tree (the folder holding parsl/): runs EXECUTORS (default "htex threads")
# PARSL_OLD_SRC  optional, Parsl 1.0.0 (older schema): runs OLD_EXECUTORS (default "threads": its
#                HighThroughputExecutor cannot serialize functions on Python 3.11, see README)
# PARSL_MID_SRC  optional, Parsl 1.1.0 (first release with the try table): runs MID_EXECUTORS (default "htex")
# PARSL_NAME, PARSL_OLD_NAME, PARSL_MID_NAME: version labels for the file names (default: `git describe
#                --tags` of the tree, else its parsl/version.py, which says 1.3.0-dev on master)
# PARSL_DEPS     where the two newer Debian packages that current Parsl needs are unpacked (default
#                /tmp/parsl-deps; nothing is installed system-wide from them)
# SKIP_APT=1     skip apt-get (the packages are already there)
#
# Parsl is not in Debian and is never committed here. Each workflow run takes one to three minutes;
# a failed run is reported and the others go on. The databases are written to this folder, then
# figures.py recomputes expected.json from all of them and prints the README's figure tables.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
python=/usr/bin/python3   # Debian's: apt's Python packages are invisible to a pyenv python
deps=${PARSL_DEPS:-/tmp/parsl-deps}

: "${PARSL_SRC:?set PARSL_SRC to a Parsl source tree (see traces/parsl/README.md)}"

if [ "${SKIP_APT:-0}" != 1 ]; then
  # Current Parsl's requirements.txt and its monitoring extra as Debian 12 packages them, then what
  # Parsl 1.0.0 imports in addition (sqlalchemy_utils for monitoring, ipyparallel's serializer).
  apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 \
    python3-zmq python3-typeguard python3-typing-extensions python3-dill python3-tblib \
    python3-requests python3-sortedcontainers python3-psutil python3-setproctitle python3-filelock \
    python3-paramiko python3-six python3-sqlalchemy sqlite3 \
    python3-sqlalchemy-utils python3-ipyparallel python3-ipykernel python3-ipython-genutils
fi

# Current Parsl type-checks its API with typeguard, and Debian 12's typeguard 2.2.2 crashes on
# Python 3.11's typing module (AttributeError: __args__ in check_callable, at the first @bash_app).
# Parsl asks for typeguard >=2.10,!=3.*,<5: take typeguard 4.4.2 from Debian 13 and the
# typing-extensions it needs (>= 4.10) from Debian 12's backports, unpacked into $deps only.
newer_typeguard() {
  [ -d "$deps/usr/lib/python3/dist-packages/typeguard" ] && return
  local uri alt
  uri=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 'Created-By: Packages' \
        | awk '$2 == "bookworm" { print $1; exit }')
  [ -n "$uri" ] || { echo "make-traces.sh: no bookworm entry in apt's sources" >&2; exit 2; }
  alt=$(mktemp -d /tmp/parsl-apt.XXXX)
  mkdir -p "$alt/lists/partial" "$alt/cache/archives/partial" "$alt/debs"
  chmod 755 "$alt"; chmod 777 "$alt/debs"  # apt downloads as its _apt user
  printf 'deb %s trixie main\ndeb %s bookworm-backports main\n' "$uri" "$uri" > "$alt/sources.list"
  local opts=(-o "Dir::Etc::sourcelist=$alt/sources.list" -o Dir::Etc::sourceparts=-
              -o "Dir::State::Lists=$alt/lists" -o "Dir::Cache=$alt/cache")
  apt-get "${opts[@]}" update -q
  (cd "$alt/debs" && apt-get "${opts[@]}" download \
     python3-typeguard/trixie python3-typing-extensions/bookworm-backports)
  mkdir -p "$deps"
  for deb in "$alt"/debs/*.deb; do dpkg-deb -x "$deb" "$deps"; echo "unpacked $(basename "$deb") into $deps"; done
  rm -rf "$alt"
}

label_of() {  # a version label for the Parsl tree $1
  local src=$1 label
  if label=$(git -C "$src" describe --tags 2>/dev/null); then echo "$label"; return; fi
  "$python" -c 'import sys; exec(open(sys.argv[1]).read()); print(VERSION)' "$src/parsl/version.py"
}

failures=0
run_one() {  # run_one SRC LABEL EXECUTOR PYTHONPATH-PREFIX
  local src=$1 label=$2 executor=$3 prefix=$4
  local name="parsl-$label-$executor.monitoring.db"
  local work status attempt
  for attempt in 1 2 3; do
    work=$(mktemp -d "/tmp/parsl-trace-$label-$executor.XXXX")
    echo "== $name, attempt $attempt (run dir $work; load $(cut -d' ' -f1-3 /proc/loadavg))"
    status=0
    (cd "$work" && PYTHONPATH="$prefix$src" timeout 900 "$python" -u "$here/workflow.py" \
       --executor "$executor" --db "$work/monitoring.db" --run-dir "$work/runinfo" 2>&1) \
      | grep -v "typeguard.*UserWarning\|warn('no type annotations" | tee "$work/workflow.out" || status=$?
    # 3: Parsl 1.x's worker pool lost its race to register (see workflow.py); anything else is final
    [ "$status" = 3 ] || break
  done
  if [ "$status" != 0 ]; then
    echo "!! $name: the workflow failed (exit $status); logs in $work" >&2
    failures=$((failures + 1))
    return
  fi
  # VACUUM INTO writes a compact copy: the database as Parsl left it, minus free pages.
  rm -f "$here/$name"
  "$python" -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("VACUUM INTO ?", (sys.argv[2],))' \
    "$work/monitoring.db" "$here/$name"
  ls -l "$here/$name"
}

newer_typeguard
label=${PARSL_NAME:-$(label_of "$PARSL_SRC")}
for executor in ${EXECUTORS:-htex threads}; do
  run_one "$PARSL_SRC" "$label" "$executor" "$deps/usr/lib/python3/dist-packages:"
done

# The two older trees run on Debian 12's own typeguard 2.2.2: typeguard 4 rejects their
# `x: List[...] = None` annotations, and they never hit the check that crashes 2.2.2.
if [ -n "${PARSL_MID_SRC:-}" ]; then
  label=${PARSL_MID_NAME:-$(label_of "$PARSL_MID_SRC")}
  for executor in ${MID_EXECUTORS:-htex}; do run_one "$PARSL_MID_SRC" "$label" "$executor" ""; done
fi
if [ -n "${PARSL_OLD_SRC:-}" ]; then
  label=${PARSL_OLD_NAME:-$(label_of "$PARSL_OLD_SRC")}
  for executor in ${OLD_EXECUTORS:-threads}; do run_one "$PARSL_OLD_SRC" "$label" "$executor" ""; done
fi

"$python" "$here/figures.py" --json "$here/expected.json" "$here"/parsl-*.monitoring.db
exit $((failures > 0))

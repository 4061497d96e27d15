#!/bin/bash
# Makes every Snakemake sample in this folder from scratch with Debian 12's snakemake
# (7.21), then expected.json from what Snakemake wrote (figures.py).
#
#   traces/snakemake/make-traces.sh        # as root, or with snakemake already installed
#
# Samples (each one a Snakemake working directory, see README.md):
#   paper-example  full run of workflow/Snakefile with --cores 4
#   failure        the same with --config fail=B2 --keep-going (B2 exits 3)
#   rerun          a copy of failure's directory run again without the failure:
#                  only B2, B3, report and all run, the rest is up to date
#   interrupted    a full run killed with SIGKILL (process group) 1 s after C2 started:
#                  .snakemake/incomplete markers are left behind
# Timings differ from one invocation to the next; expected.json is remade with them.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
export TZ=UTC LC_ALL=C.UTF-8  # Snakemake prints local times (log, stats.json)
PY=/usr/bin/python3           # Debian's Python: the one apt's snakemake runs on

if ! command -v snakemake >/dev/null || ! "$PY" -c "import snakemake" 2>/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "make-traces.sh: install Debian's snakemake first: apt-get install snakemake" >&2
    exit 2
  fi
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends snakemake
fi
snakemake=/usr/bin/snakemake
opts=(--cores 4 --resources gpu=2)  # gpu=2: rules B2, B3 and C2 each claim gpu=1

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# The DAG as Snakemake plans it from the directory's current state, printed in a
# throw-away copy so that the sample's .snakemake/log only holds the run's log.
plan() {
  local dir=$1
  rm -rf "$scratch/plan" && cp -a "$dir" "$scratch/plan"
  (cd "$scratch/plan" && "$snakemake" "${opts[@]}" "${@:2}" --dag 2>/dev/null) > "$dir/dag.dot"
  (cd "$scratch/plan" && "$snakemake" "${opts[@]}" "${@:2}" --d3dag 2>/dev/null) > "$dir/dag.d3.json"
}

# Summaries of the files after the run, also from a throw-away copy.
summarize() {
  local dir=$1
  rm -rf "$scratch/sum" && cp -a "$dir" "$scratch/sum"
  (cd "$scratch/sum" && "$snakemake" "${opts[@]}" --summary 2>/dev/null) > "$dir/summary.tsv"
  (cd "$scratch/sum" && "$snakemake" "${opts[@]}" --detailed-summary 2>/dev/null) > "$dir/detailed-summary.tsv"
}

# Keeps the workdir layout; drops the folders that are empty or not trace data.
tidy() {
  local dir=$1
  (cd "$dir/.snakemake" && rm -rf auxiliary conda conda-archive singularity shadow locks scripts)
  find "$dir/.snakemake" -type d -empty -delete
}

# run DIR EXPECTED_EXIT ARGS...: one snakemake run in DIR, its command line in command.txt.
run() {
  local dir=$1 expected=$2 rc=0
  echo "snakemake ${opts[*]} --stats stats.json${3:+ ${*:3}}" > "$dir/command.txt"
  (cd "$dir" && "$snakemake" "${opts[@]}" --stats stats.json "${@:3}" >/dev/null 2>&1) || rc=$?
  if [ "$rc" != "$expected" ]; then
    echo "make-traces.sh: $dir: snakemake exited $rc, expected $expected" >&2
    exit 1
  fi
}

fresh() {
  rm -rf "$here/$1" && mkdir -p "$here/$1"
  cp "$here/workflow/Snakefile" "$here/$1/Snakefile"
}

echo "paper-example" >&2
fresh paper-example
plan "$here/paper-example"
run "$here/paper-example" 0
summarize "$here/paper-example"
tidy "$here/paper-example"

echo "failure" >&2
fresh failure
plan "$here/failure" --config fail=B2
run "$here/failure" 1 --config fail=B2 --keep-going
summarize "$here/failure"
# the rerun starts from failure's directory as Snakemake left it (cp -a keeps mtimes)
rm -rf "$scratch/after-failure" && cp -a "$here/failure" "$scratch/after-failure"
tidy "$here/failure"

echo "rerun" >&2
rm -rf "$here/rerun" && cp -a "$scratch/after-failure" "$here/rerun"
rm -f "$here/rerun"/{command.txt,dag.dot,dag.d3.json,summary.tsv,detailed-summary.tsv}
plan "$here/rerun"
run "$here/rerun" 0
summarize "$here/rerun"
tidy "$here/rerun"

echo "interrupted" >&2
fresh interrupted
plan "$here/interrupted"
echo "snakemake ${opts[*]} --stats stats.json (process group killed with SIGKILL 1 s after C2 started)" \
  > "$here/interrupted/command.txt"
(cd "$here/interrupted" && exec setsid "$snakemake" "${opts[@]}" --stats stats.json >/dev/null 2>&1) &
pid=$!
# C2 (4 s) has started when its incomplete marker (base64 of the output name) appears.
c2_marker="$here/interrupted/.snakemake/incomplete/$(printf results/C2.txt | base64)"
for _ in $(seq 600); do [ -e "$c2_marker" ] && break; sleep 0.1; done
sleep 1
kill -KILL -- "-$pid"
wait "$pid" 2>/dev/null || true
# --summary would need --unlock first (the killed run left its locks): none for this sample.
tidy "$here/interrupted"

"$snakemake" --version | sed 's/^/snakemake /' > "$here/versions.txt"
"$PY" --version >> "$here/versions.txt"
sed -n 's/^PRETTY_NAME="\(.*\)"/\1/p' /etc/os-release >> "$here/versions.txt"

"$PY" "$here/figures.py" "$here"/{paper-example,failure,rerun,interrupted} > "$here/expected.json"
echo "wrote $here/expected.json" >&2

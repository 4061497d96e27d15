#!/usr/bin/env python3
"""Figures of the sacct dumps in a folder, as JSON on stdout (make-traces.sh writes them to expected.json).

Usage: python3 figures.py <folder> [key=value ...]   (each key=value goes into "run"; a JSON value as such)
       python3 figures.py --array-snapshot <elements> <dump>...   (exit 0 if the dumps catch an array mid-way)

Reads every *.sacct.txt (sacct -P or -p output: a header line, '|'-separated, -p adds a trailing '|') and every
*.sacct.json or *.sacct.json.gz (sacct --json) in the folder, and reports per file what Slurm itself printed there:
- allocations: rows whose JobID has no '.' (a job, an array element `12_3`, a hetjob component `7+1`, or a
  pending array range `12_[5-8%3]`); array_elements_in_pending_ranges counts the elements such range rows stand
  for, and allocations_expanded counts every array element once;
- steps: rows whose JobID has a '.' (`12.batch`, `12.extern`, `12.0`, `7+1.0`, `12_3.batch`);
- allocation_states / step_states: counts by the first word of State (`CANCELLED by 0` is CANCELLED);
- workflows: for the job names starting with workflow-sync / workflow-async, the makespan in seconds: the last
  End minus the first Start over the workflow's allocations (where the file has JobName, Start and End).
Times are Slurm's local times without zone; differences only are used, so the time zone does not matter
(the run is in UTC, which has no daylight-saving jumps).
Standard library only, so it runs on a fresh Debian 12.
"""
import csv
import gzip
import json
import os
import re
import sys
from datetime import datetime

STATES = ["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "PENDING", "RUNNING"]
WORKFLOWS = ["workflow-sync", "workflow-async"]
PENDING_RANGE = re.compile(r"^(\d+)_\[([^\]]+)\]$")


def count_range(spec):
    """Number of array indexes in a range spec such as `5-8%3` or `1,3,5-7` (sacct's text), or in a hex
    bitmap of indexes such as `0x1F0` (sacct --json 22.05 writes the pending indexes so: bit i = index i)."""
    if spec.startswith("0x"):
        return bin(int(spec, 16)).count("1")
    spec = spec.split("%")[0]
    n = 0
    for part in spec.split(","):
        if "-" in part:
            lo, hi = part.split("-")
            n += int(hi) - int(lo) + 1
        else:
            n += 1
    return n


def state_counts(states):
    counts = {s: 0 for s in STATES}
    for s in states:
        word = s.split(" ")[0] if s else ""
        counts[word] = counts.get(word, 0) + 1
    return counts


def makespan(starts_ends):
    """(first start, last end, seconds) over (start, end) pairs of datetimes; None if any is missing."""
    if not starts_ends or any(s is None or e is None for s, e in starts_ends):
        return None
    first = min(s for s, _ in starts_ends)
    last = max(e for _, e in starts_ends)
    return first, last, int((last - first).total_seconds())


def parse_time(text):
    if text in ("", "Unknown", "None"):
        return None
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S")


def text_figures(path):
    with open(path, newline="") as f:
        lines = f.read().splitlines()
    trailing = lines[0].endswith("|")
    rows = list(csv.reader(lines, delimiter="|", quoting=csv.QUOTE_NONE))
    if trailing:
        rows = [r[:-1] for r in rows]
    header, data = rows[0], rows[1:]
    for i, r in enumerate(data, start=2):
        if len(r) != len(header):
            raise SystemExit(f"{path}:{i}: {len(r)} fields, header has {len(header)}")
    records = [dict(zip(header, r)) for r in data]
    allocs = [r for r in records if "." not in r["JobID"]]
    steps = [r for r in records if "." in r["JobID"]]
    ranges = [PENDING_RANGE.match(r["JobID"]) for r in allocs]
    in_ranges = sum(count_range(m.group(2)) for m in ranges if m)
    out = {
        "format": "parsable" if trailing else "parsable2",
        "fields": header,
        "rows": len(records),
        "allocations": len(allocs),
        "array_elements_in_pending_ranges": in_ranges,
        "allocations_expanded": len(allocs) - sum(1 for m in ranges if m) + in_ranges,
        "steps": len(steps),
    }
    if "State" in header:
        out["allocation_states"] = state_counts(r["State"] for r in allocs)
        out["step_states"] = state_counts(r["State"] for r in steps)
    if {"JobName", "Start", "End"} <= set(header):
        out["workflows"] = workflows(
            (r["JobName"], parse_time(r["Start"]), parse_time(r["End"])) for r in allocs)
    return out


def json_figures(path):
    with (gzip.open(path, "rt") if path.endswith(".gz") else open(path)) as f:
        doc = json.load(f)
    jobs = doc["jobs"]
    pending_ranges = [j for j in jobs if j["state"]["current"] == "PENDING" and (j.get("array") or {}).get("task")]
    in_ranges = sum(count_range(j["array"]["task"]) for j in pending_ranges)

    def when(epoch):
        return datetime.fromtimestamp(epoch) if epoch else None

    return {
        "format": "json",
        "slurm_release": doc["meta"]["Slurm"]["release"],
        "plugin": doc["meta"]["plugin"]["type"],
        "errors": len(doc.get("errors", [])),
        "allocations": len(jobs),
        "array_elements_in_pending_ranges": in_ranges,
        "allocations_expanded": len(jobs) - len(pending_ranges) + in_ranges,
        "steps": sum(len(j.get("steps", [])) for j in jobs),
        "allocation_states": state_counts(j["state"]["current"] for j in jobs),
        "step_states": state_counts(s["state"] for j in jobs for s in j.get("steps", [])),
        "workflows": workflows(
            (j["name"], when(j["time"]["start"]), when(j["time"]["end"])) for j in jobs),
    }


def workflows(name_start_end):
    spans = {}
    for name, start, end in name_start_end:
        for wf in WORKFLOWS:
            if name.startswith(wf + "-"):
                spans.setdefault(wf, []).append((start, end))
    out = {}
    for wf, pairs in sorted(spans.items()):
        m = makespan(pairs)
        out[wf] = {"allocations": len(pairs)}
        if m:
            out[wf].update(first_start=m[0].isoformat(), last_end=m[1].isoformat(), makespan_s=m[2])
    return out


def dependencies(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [{k: (int(v) if k.endswith("_id") else v) for k, v in r.items()} for r in rows]


def array_snapshot_ok(elements, paths):
    """Whether every dump shows the array mid-way, consistently: some elements running, the others in a
    pending range row, `elements` in all. (slurmdbd may briefly still hold the whole range as pending while
    the first elements already run; make-traces.sh dumps again until it does not.)"""
    for path in paths:
        f = json_figures(path) if ".json" in path else text_figures(path)
        states = f["allocation_states"]
        if not (states["RUNNING"] > 0 and states["PENDING"] > 0 and f["allocations_expanded"] == elements):
            return False
    return True


def main():
    if sys.argv[1] == "--array-snapshot":
        sys.exit(0 if array_snapshot_ok(int(sys.argv[2]), sys.argv[3:]) else 1)
    folder = sys.argv[1]
    run = {}
    for arg in sys.argv[2:]:
        key, value = arg.split("=", 1)
        try:
            run[key] = json.loads(value)
        except ValueError:
            run[key] = value
    files = {}
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.endswith(".sacct.txt"):
            files[name] = text_figures(path)
        elif name.endswith(".sacct.json") or name.endswith(".sacct.json.gz"):
            files[name] = json_figures(path)
    commands = os.path.join(folder, "commands.tsv")
    if os.path.exists(commands):
        with open(commands, newline="") as f:
            for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if row["file"] in files:
                    files[row["file"]] = {"command": row["command"], **files[row["file"]]}
    out = {"run": run, "files": files}
    deps = os.path.join(folder, "dependencies.tsv")
    if os.path.exists(deps):
        out["dependencies"] = dependencies(deps)
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()

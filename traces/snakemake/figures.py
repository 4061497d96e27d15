#!/usr/bin/python3
"""Expected figures of the Snakemake samples, from what Snakemake itself wrote.

Usage: figures.py SAMPLE_DIR... > expected.json

For each sample (a Snakemake working directory) it reads:
  - dag.dot and dag.d3.json: `snakemake --dag` / `--d3dag` printed just before the run;
  - the newest .snakemake/log/*.snakemake.log: the run's log (jobs planned, started,
    finished, failed; the "Job stats" table);
  - .snakemake/metadata/*: one JSON record per output file (starttime, endtime, rule...);
  - stats.json (`--stats`), when Snakemake wrote it (only after a successful run).

A job's duration is max(endtime) - min(starttime) over the metadata records of its
outputs. The jobs of the run are the jobids in the run's log; their outputs are
listed there. Per job of the run: start and end relative to the run's first start, and threads as
the log prints them. The critical path is the longest path, summing job durations, through
the --d3dag links (which Snakemake restricts to jobs that needed to run) between the
jobs of the run that finished with metadata. Standard library only.
"""
import base64
import json
import os
import re
import sys

ROUND = 6  # seconds, to the microsecond


def decode_record_name(metadata_dir, path):
    """Output file name of a metadata record: urlsafe base64 of the name, split into
    directories whose names start with '@' when longer than the file name limit."""
    parts = os.path.relpath(path, metadata_dir).split(os.sep)
    encoded = "".join(p[1:] if p.startswith("@") else p for p in parts)
    return base64.urlsafe_b64decode(encoded).decode()


def read_metadata(workdir):
    metadata_dir = os.path.join(workdir, ".snakemake", "metadata")
    records = {}
    for root, _dirs, files in os.walk(metadata_dir):
        for name in files:
            path = os.path.join(root, name)
            with open(path) as f:
                records[decode_record_name(metadata_dir, path)] = json.load(f)
    return records


def incomplete_markers(workdir):
    marker_dir = os.path.join(workdir, ".snakemake", "incomplete")
    names = []
    for root, _dirs, files in os.walk(marker_dir):
        names += [decode_record_name(marker_dir, os.path.join(root, n)) for n in files]
    return sorted(names)


def newest_log(workdir):
    log_dir = os.path.join(workdir, ".snakemake", "log")
    logs = sorted(n for n in os.listdir(log_dir) if n.endswith(".snakemake.log"))
    return os.path.join(log_dir, logs[-1]), logs


def parse_log(path):
    """Jobs started (jobid -> rule, outputs), finished and failed jobids, Job stats."""
    lines = open(path).read().splitlines()
    started, finished, failed, job_stats = {}, [], [], {}
    i = 0
    while i < len(lines):
        line = lines[i]
        rule = re.fullmatch(r"(?:local)?rule (\S+):", line)
        error = re.fullmatch(r"Error in rule (\S+):", line)
        done = re.fullmatch(r"Finished job (\d+)\.", line)
        if rule or error:
            fields = {}
            i += 1
            while i < len(lines) and lines[i].startswith("    "):
                key, _, value = lines[i].strip().partition(": ")
                fields[key] = value
                i += 1
            jobid = int(fields["jobid"])
            if rule:
                outputs = fields.get("output", "")
                started[jobid] = {
                    "rule": rule.group(1),
                    "outputs": [o for o in outputs.split(", ") if o],
                    "wildcards": fields.get("wildcards", ""),
                    # the log prints "threads:" only when a job has more than one
                    "threads": int(fields.get("threads", "1")),
                }
            else:
                failed.append(jobid)
            continue
        if done:
            finished.append(int(done.group(1)))
        if line == "Job stats:":
            i += 3  # header and dashes
            while i < len(lines) and lines[i].strip():
                name, count = lines[i].split()[:2]
                job_stats[name] = int(count)
                i += 1
            continue
        i += 1
    return started, finished, failed, job_stats


def parse_dot(path):
    nodes, edges = {}, []
    for line in open(path):
        node = re.match(r'\s*(\d+)\[label = "([^"]*)".*style="([^"]*)"', line)
        edge = re.match(r"\s*(\d+) -> (\d+)\s*$", line)
        if node:
            label = node.group(2).split("\\n")
            nodes[int(node.group(1))] = {
                "rule": label[0],
                "wildcards": label[1:],
                "up_to_date": "dashed" in node.group(3),
            }
        elif edge:
            edges.append((int(edge.group(1)), int(edge.group(2))))
    return nodes, edges


def per_rule(rules):
    counts = {}
    for r in rules:
        counts[r] = counts.get(r, 0) + 1
    return dict(sorted(counts.items()))


def never_started(job_stats, started):
    "Rules (one entry per job) that the Job stats table planned but the log never started."
    left = dict(job_stats)
    left.pop("total", None)
    for job in started.values():
        left[job["rule"]] -= 1
    return sorted(r for r, n in left.items() for _ in range(n))


def critical_path(durations, links):
    """Longest path by summed durations in the DAG given by links (u -> v)."""
    preds = {j: [] for j in durations}
    for u, v in links:
        if u in durations and v in durations:
            preds[v].append(u)
    best = {}

    def finish(j):  # longest path ending with job j (DAG: recursion terminates)
        if j not in best:
            before = max(((finish(p), p) for p in preds[j]), default=((0.0, []), None))
            (length, path), _ = before
            best[j] = (length + durations[j], path + [j])
        return best[j]

    return max((finish(j) for j in durations), default=(0.0, []))


def figures(workdir):
    records = read_metadata(workdir)
    log_path, logs = newest_log(workdir)
    started, finished, failed, job_stats = parse_log(log_path)
    dot_nodes, dot_edges = parse_dot(os.path.join(workdir, "dag.dot"))
    d3 = json.load(open(os.path.join(workdir, "dag.d3.json")))
    d3_rules = {n["id"]: n["value"]["rule"] for n in d3["nodes"]}
    links = [(l["u"], l["v"]) for l in d3["links"]]
    for jobid, job in started.items():  # the plan and the run must name the same jobs
        assert d3_rules[jobid] == job["rule"], (workdir, jobid, job, d3_rules[jobid])

    # Jobs of this run with metadata: finished, and every output has a record.
    timed = {}
    for jobid in finished:
        outputs = started[jobid]["outputs"]
        if outputs and all(o in records for o in outputs):
            timed[jobid] = (
                min(records[o]["starttime"] for o in outputs),
                max(records[o]["endtime"] for o in outputs),
            )
    durations = {j: end - start for j, (start, end) in timed.items()}
    first = min((s for s, _ in timed.values()), default=0.0)
    jobs = [
        {
            "jobid": j,
            "rule": started[j]["rule"],
            "wildcards": started[j]["wildcards"],
            "threads": started[j]["threads"],
            "start_s": round(timed[j][0] - first, ROUND),
            "end_s": round(timed[j][1] - first, ROUND),
            "duration_s": round(durations[j], ROUND),
        }
        for j in sorted(timed, key=lambda j: (timed[j][0], j))
    ]
    length, path = critical_path(durations, links)
    stats_path = os.path.join(workdir, "stats.json")
    stats = json.load(open(stats_path)) if os.path.exists(stats_path) else None
    command = open(os.path.join(workdir, "command.txt")).read().strip()

    return {
        "command": command,
        "log": os.path.relpath(log_path, workdir),
        "logs_in_workdir": len(logs),
        "dag": {
            "jobs": len(dot_nodes),
            "jobs_per_rule": per_rule(n["rule"] for n in dot_nodes.values()),
            "edges": len(dot_edges),
            "up_to_date_jobs": sum(n["up_to_date"] for n in dot_nodes.values()),
            "d3dag_links": len(links),
        },
        "run": {
            "job_stats": job_stats,
            "jobs_started": len(started),
            "jobs_finished": len(finished),
            "jobs_failed": sorted(started[j]["rule"] for j in failed),
            "jobs_never_started": never_started(job_stats, started),
            "jobs_started_not_finished": sorted(
                started[j]["rule"] for j in started if j not in finished and j not in failed
            ),
        },
        "metadata": {
            "records": len(records),
            "records_of_this_run": sum(
                len(started[j]["outputs"]) for j in timed
            ),
            "records_per_rule": per_rule(r["rule"] for r in records.values()),
            "incomplete_markers": incomplete_markers(workdir),
            "jobs_of_this_run_with_metadata": len(timed),
        },
        "makespan_s": round(
            max(e for _, e in timed.values()) - min(s for s, _ in timed.values()), ROUND
        ) if timed else None,
        "sum_of_job_durations_s": round(sum(durations.values()), ROUND),
        "sum_of_thread_seconds": round(
            sum(d * started[j]["threads"] for j, d in durations.items()), ROUND
        ),
        "critical_path": {
            "length_s": round(length, ROUND),
            "jobs": [started[j]["rule"] for j in path],
            "jobids": path,
        },
        "stats_total_runtime_s": round(stats["total_runtime"], ROUND) if stats else None,
        "jobs_of_this_run": jobs,
    }


def main(samples):
    out = {}
    for workdir in samples:
        out[os.path.basename(os.path.normpath(workdir))] = figures(workdir)
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main(sys.argv[1:])

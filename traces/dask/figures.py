#!/usr/bin/python3
"""Expected figures of the Dask samples, from the files workflow.py saved.

Usage: figures.py SAMPLE_DIR... > expected.json

Reads task-stream.json (ts.data of get_task_stream), graph.json (key -> dependency
keys, as the scheduler received them) and scheduler-info.json (client.scheduler_info()).
A key's compute time is the sum of its "compute" startstops. The critical path is the
longest path, summing compute times, through graph.json between the keys of the task
stream. Standard library only.
"""
import json
import os
import sys

ROUND = 6  # seconds, to the microsecond


def count(values):
    out = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(out.items()))


def critical_path(durations, graph):
    best = {}

    def finish(key):  # longest path ending with key (graph.json is a DAG)
        if key not in best:
            before = [finish(d) for d in graph.get(key, []) if d in durations]
            length, path = max(before, default=(0.0, []))
            best[key] = (length + durations[key], path + [key])
        return best[key]

    return max((finish(k) for k in durations), default=(0.0, []))


def figures(sample):
    load = lambda name: json.load(open(os.path.join(sample, name)))
    records, graph, info = load("task-stream.json"), load("graph.json"), load("scheduler-info.json")
    startstops = [s for r in records for s in r["startstops"]]
    compute = [s for s in startstops if s["action"] == "compute"]
    durations = {}
    for r in records:
        durations[r["key"]] = durations.get(r["key"], 0.0) + sum(
            s["stop"] - s["start"] for s in r["startstops"] if s["action"] == "compute")
    length, path = critical_path(durations, graph)
    workers = info["workers"]
    keys = {r["key"] for r in records}
    return {
        "records": len(records),
        "distinct_keys": len(keys),
        "status": count(r["status"] for r in records),
        "startstops_per_action": count(s["action"] for s in startstops),
        "compute_intervals": len(compute),
        "transfers": sum(s["action"] == "transfer" for s in startstops),
        "makespan_s": round(max(s["stop"] for s in compute) - min(s["start"] for s in compute), ROUND),
        "sum_of_compute_s": round(sum(s["stop"] - s["start"] for s in compute), ROUND),
        "critical_path": {"length_s": round(length, ROUND), "keys": path},
        "workers": len(workers),
        "threads_per_worker": sorted(w["nthreads"] for w in workers.values()),
        "total_threads": sum(w["nthreads"] for w in workers.values()),
        "memory_limit_per_worker": sorted(w["memory_limit"] for w in workers.values()),
        "records_per_worker": sorted(count(r["worker"] for r in records).values()),
        "worker_threads_used": len({(r["worker"], r["thread"]) for r in records}),
        "graph": {
            "keys": len(graph),
            "edges": sum(len(d) for d in graph.values()),
            "keys_not_in_task_stream": sorted(set(graph) - keys),
            "task_stream_keys_not_in_graph": sorted(keys - set(graph)),
        },
    }


if __name__ == "__main__":
    out = {os.path.basename(os.path.normpath(s)): figures(s) for s in sys.argv[1:]}
    json.dump(out, sys.stdout, indent=2)
    print()

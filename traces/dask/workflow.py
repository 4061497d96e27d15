#!/usr/bin/python3
"""Runs one workflow on a Dask distributed LocalCluster and saves its task stream.

Usage: workflow.py OUT_DIR [--spill]

The graph (dask.delayed, names are the task keys):
  - the paper's example scaled from seconds to milliseconds (Pascuzzi et al., JSSPP
    2023): A 0.5 s, then B1 1 s -> B2 2 s -> B3 2 s beside C1 1 s -> C2 4 s;
  - a fan-out ("process", 0..2) 0.4 s each after A, merged by merge (0.3 s);
  - data tasks: ("array", 0..3) each make a numpy array (4 MB; 16 MiB with --spill),
    0 and 1 pinned to the first worker, 2 and 3 to the second; ("combine", 0) adds
    arrays 0 and 2 on the second worker, ("combine", 1) arrays 1 and 3 on the first,
    so each combine fetches one array from the other worker (a "transfer" startstop);
    total adds the two sums;
  - report (0.2 s) after B3, C2, merge and total;
  - a dask.array mean over 4 chunks of a seeded random array (tuple keys with tokens);
  - fail raises ValueError after 0.1 s (status "error"); after_fail depends on it and
    never runs, so it is in graph.json but not in the task stream.
--spill gives each worker a 256 MiB memory limit and a spill target of 5 % (about
13 MiB of managed memory), so every 16 MiB array goes to disk as it is stored
("disk-write" startstop) and is read back when a task on that worker uses it
("disk-read"). Pause and terminate are off so that the small limit stops nothing.

Writes in OUT_DIR:
  task-stream.json   the records of get_task_stream's ts.data as one JSON array;
  task-stream.jsonl  the same records, one JSON object per line;
  graph.json         {key: [dependency keys]} of the graph as the scheduler received
                     it (recorded by a SchedulerPlugin's update_graph; tuple keys are
                     their str(), as in the task stream; includes the finalize task
                     that Client.compute adds for the dask.array result);
  scheduler-info.json client.scheduler_info() after the run (workers, nthreads...);
  results.json       the status of each computed output and the final values.
JSON encoding: json.dumps with one change: bytes (the pickled `type`, `exception` and
`traceback` fields) become base64 text. Tuples (`startstops`) become JSON arrays.
"""
import base64
import json
import os
import sys
import time

import dask
import dask.array as da
import numpy as np
from dask import delayed
from distributed import Client, LocalCluster, SchedulerPlugin, get_task_stream, wait


def sleep_task(name, seconds, *deps):
    time.sleep(seconds)
    return name


def make_array(i, n):
    return np.full(n, float(i + 1))


def combine(a, b):
    return float((a + b).sum())


def add(*values):
    return sum(values)


def fail(_dep):
    time.sleep(0.1)
    raise ValueError("fail: this task raises on purpose")


def build(workers, array_len):
    """The collections to compute; workers are the two workers' addresses."""
    A = delayed(sleep_task)("A", 0.5, dask_key_name="A")
    B1 = delayed(sleep_task)("B1", 1.0, A, dask_key_name="B1")
    B2 = delayed(sleep_task)("B2", 2.0, B1, dask_key_name="B2")
    B3 = delayed(sleep_task)("B3", 2.0, B2, dask_key_name="B3")
    C1 = delayed(sleep_task)("C1", 1.0, A, dask_key_name="C1")
    C2 = delayed(sleep_task)("C2", 4.0, C1, dask_key_name="C2")
    processed = [
        delayed(sleep_task)(f"p{i}", 0.4, A, dask_key_name=("process", i)) for i in range(3)
    ]
    merge = delayed(sleep_task)("merge", 0.3, *processed, dask_key_name="merge")

    pin = lambda w: dask.annotate(workers=[w], allow_other_workers=False)
    arrays = []
    for i in range(4):
        with pin(workers[0] if i < 2 else workers[1]):
            arrays.append(delayed(make_array)(i, array_len, dask_key_name=("array", i)))
    with pin(workers[1]):
        c0 = delayed(combine)(arrays[0], arrays[2], dask_key_name=("combine", 0))
    with pin(workers[0]):
        c1 = delayed(combine)(arrays[1], arrays[3], dask_key_name=("combine", 1))
    total = delayed(add)(c0, c1, dask_key_name="total")

    report = delayed(sleep_task)("report", 0.2, B3, C2, merge, total, dask_key_name="report")
    x = da.random.RandomState(42).random_sample((1000, 1000), chunks=(250, 1000))
    failed = delayed(fail)(A, dask_key_name="fail")
    after_fail = delayed(sleep_task)("after_fail", 0.1, failed, dask_key_name="after_fail")
    return {"report": report, "array-mean": x.mean(), "after_fail": after_fail}


class GraphRecorder(SchedulerPlugin):
    """Keeps the dependencies of every graph the scheduler receives, as the scheduler
    has them (keys as strings, the finalize task that Client.compute adds included)."""

    name = "graph-recorder"

    def __init__(self):
        self.graph = {}

    def update_graph(self, scheduler, keys, restrictions, dependencies=None, **kwargs):
        for key, deps in (dependencies or {}).items():
            self.graph[key] = sorted(deps)


def encode(value):
    "json.dumps default: bytes (pickles) as base64 text; anything else is a bug here."
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    raise TypeError(f"not JSON: {type(value).__name__}")


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=1, default=encode)
        f.write("\n")


def main(out_dir, spill):
    os.makedirs(out_dir, exist_ok=True)
    memory = {"distributed.worker.memory.pause": False, "distributed.worker.memory.terminate": False}
    if spill:
        memory.update({"distributed.worker.memory.target": 0.05,
                       "distributed.worker.memory.spill": False})
    with dask.config.set(memory), LocalCluster(
        n_workers=2,
        threads_per_worker=2,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        memory_limit="256MiB" if spill else "2GiB",
    ) as cluster, Client(cluster) as client:
        workers = sorted(client.scheduler_info()["workers"])
        array_len = (16 * 2**20 // 8) if spill else 500_000  # float64: 16 MiB or 4 MB
        outputs = build(workers, array_len)

        client.register_scheduler_plugin(GraphRecorder())
        with get_task_stream(client) as ts:
            futures = client.compute(list(outputs.values()), optimize_graph=False)
            wait(futures)
        results = {name: {"key": f.key, "status": f.status,
                          "value": f.result() if f.status == "finished" else None,
                          "exception": repr(f.exception()) if f.status == "error" else None}
                   for name, f in zip(outputs, futures)}
        info = client.scheduler_info()
        graph = client.run_on_scheduler(
            lambda dask_scheduler: dask_scheduler.plugins[GraphRecorder.name].graph)

    records = ts.data
    write_json(os.path.join(out_dir, "task-stream.json"), records)
    with open(os.path.join(out_dir, "task-stream.jsonl"), "w") as f:
        for record in records:
            f.write(json.dumps(record, default=encode) + "\n")
    write_json(os.path.join(out_dir, "graph.json"), dict(sorted(graph.items())))
    write_json(os.path.join(out_dir, "scheduler-info.json"), info)
    write_json(os.path.join(out_dir, "results.json"), results)
    print(f"{out_dir}: {len(records)} task stream records, {len(graph)} graph keys",
          file=sys.stderr)


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        sys.exit(__doc__)
    main(args[0], "--spill" in args[1:])

#!/usr/bin/env python3
"""Run the asyncscope example DAG under Parsl with monitoring, twice: asynchronously, then level by level.

Both runs write into ONE Parsl monitoring database (two run_ids), so the importer sees two workflow runs
of the same DAG. The script runs unchanged on Parsl 1.0.0 (2020; thread pool only on Python 3.11),
1.1.0 and current Parsl: the few constructor arguments that were renamed between them are chosen by
looking at the signatures.

The DAG is the paper's example (Pascuzzi et al., JSSPP 2023) scaled from seconds*1000 to seconds:
    A 0.5 s -> B1 1 s -> B2 2 s -> B3 2 s          (bash_apps: `sleep`)
            -> C1 1 s -> C2 4 s                     (python_apps: time.sleep)
plus, with no dependencies: a fan-out F1..F4 (1 s each), RETRY (fails on its first try, then
sleeps 1 s), FAIL (fails on every try); then DEP (depends on FAIL, so it ends as dep_fail) and
JOIN (0.2 s, depends on B3, C2 and F1..F4). Futures are passed as `inputs`, so task_depends is filled
in both runs.

Levels for the synchronous run (the barrier waits for every future of a level, failed or not):
    L0: A, F1..F4, RETRY, FAIL   L1: B1, C1, DEP   L2: B2, C2   L3: B3   L4: JOIN

Usage: workflow.py --executor htex|threads --db PATH --run-dir DIR
"""
import argparse
import glob
import inspect
import os
import sys
import time

import parsl
from parsl.app.app import bash_app, python_app
from parsl.config import Config
from parsl.monitoring import MonitoringHub
from parsl.providers import LocalProvider

WORKERS = 6          # enough for A's two branches and the fan-out to overlap
RETRIES = 2          # RETRY succeeds on its 2nd try; FAIL uses all 3 tries
RESOURCE_INTERVAL = 1.0  # seconds between resource samples of a running task
NO_MANAGER = 3  # exit status: the HTEX worker pool never registered (see wait_for_workers)


def accepts(callable_, name):
    return name in inspect.signature(callable_).parameters


def htex_executor(label):
    """A HighThroughputExecutor with one local block of WORKERS workers, launched with this Python.

    The default launch commands call `process_worker_pool.py` / `interchange.py` by name through
    PATH with an `env python3` shebang; running from a source checkout, we call them with
    sys.executable instead so the workers see the same (Debian) packages as this script.
    """
    from parsl.executors import HighThroughputExecutor
    import parsl.executors.high_throughput.executor as htex_module

    htex_dir = os.path.dirname(htex_module.__file__)
    # The pool starts min(max workers, cores / cores_per_worker) workers: 0.1 lets the 2 cores here
    # hold WORKERS sleeping tasks at once.
    kwargs = {"label": label, "cores_per_worker": 0.1, "heartbeat_period": 2, "poll_period": 100}

    default_cmd = getattr(htex_module, "DEFAULT_LAUNCH_CMD", None)
    if default_cmd is None:  # Parsl 1.0 builds its default inside __init__
        default_cmd = HighThroughputExecutor(label="probe").launch_cmd
    pool = os.path.join(htex_dir, "process_worker_pool.py")
    pool_cmd = default_cmd.replace("process_worker_pool.py", f"{sys.executable} {pool}", 1)
    # Parsl 1.x's worker pool probes the interchange by connecting a zmq socket and only then attaching
    # the monitor that waits for the CONNECTED event; when the connection wins that race the probe
    # times out after 30 s and the pool exits with status 5, and the block is never replaced (5 of
    # 14 starts here). Start it again in the same block then. The command is the body of a shell
    # function in a `set -e` script, hence `|| rc=$?` and `return`.
    kwargs["launch_cmd"] = f"for attempt in 1 2 3 4 5; do rc=0; {pool_cmd} || rc=$?; [ $rc -eq 5 ] || return $rc; done"
    if accepts(HighThroughputExecutor, "interchange_launch_cmd"):
        kwargs["interchange_launch_cmd"] = [sys.executable, os.path.join(htex_dir, "interchange.py")]

    if accepts(HighThroughputExecutor, "max_workers_per_node"):
        kwargs["max_workers_per_node"] = WORKERS
    else:
        kwargs["max_workers"] = WORKERS
    if accepts(HighThroughputExecutor, "address"):
        kwargs["address"] = "127.0.0.1"
    if accepts(HighThroughputExecutor, "loopback_address"):
        kwargs["loopback_address"] = "127.0.0.1"

    provider_kwargs = {"init_blocks": 1, "min_blocks": 1, "max_blocks": 1}
    if accepts(LocalProvider, "channel"):  # channels were removed in 2024
        from parsl.channels import LocalChannel
        provider_kwargs["channel"] = LocalChannel()
    kwargs["provider"] = LocalProvider(**provider_kwargs)
    return HighThroughputExecutor(**kwargs)


def threads_executor(label):
    from parsl.executors import ThreadPoolExecutor
    return ThreadPoolExecutor(label=label, max_threads=WORKERS)


def make_config(executor, db_path, run_dir, workflow_name):
    hub_kwargs = {
        "workflow_name": workflow_name,
        "logging_endpoint": "sqlite:///" + os.path.abspath(db_path),
        "resource_monitoring_interval": RESOURCE_INTERVAL,
    }
    hub_param = inspect.signature(MonitoringHub).parameters.get("hub_address")
    if hub_param is not None and hub_param.default is inspect.Parameter.empty:
        hub_kwargs["hub_address"] = "127.0.0.1"  # required (UDP target of the workers) up to ~2024
    if accepts(MonitoringHub, "logdir"):
        hub_kwargs["logdir"] = os.path.join(run_dir, "monitoring-logs")
    make_executor = htex_executor if executor == "htex" else threads_executor
    return Config(
        executors=[make_executor(executor)],
        monitoring=MonitoringHub(**hub_kwargs),
        retries=RETRIES,
        run_dir=run_dir,
        strategy=None,  # one fixed block: no scaling in or out during the run
    )


# ---- the apps ---------------------------------------------------------------------------------

@bash_app
def bash_sleep(seconds, inputs=[], stdout=None, stderr=None):
    return f"sleep {seconds}"


@python_app
def py_sleep(seconds, inputs=[]):
    import time
    time.sleep(seconds)
    return seconds


@python_app
def fail_once(marker, seconds, inputs=[]):
    """Fails when `marker` does not exist yet (and creates it), so only the first try fails."""
    import os
    import time
    if not os.path.exists(marker):
        open(marker, "w").close()
        raise RuntimeError(f"first try fails on purpose (created {marker})")
    time.sleep(seconds)
    return seconds


@python_app
def always_fail(inputs=[]):
    raise ValueError("this task fails on every try on purpose")


@python_app
def join(inputs=[]):
    import time
    time.sleep(0.2)
    return len(inputs)


# ---- the two ways of running the DAG ----------------------------------------------------------

def wait_all(futures):
    """The level barrier: wait for every future, whatever its outcome."""
    for f in futures:
        try:
            f.result()
        except Exception:
            pass


def run_dag(mode, marker):
    """Submit the DAG; in 'sync' mode wait for each level before submitting the next."""
    barrier = wait_all if mode == "sync" else (lambda futures: None)
    out = {}

    level0 = {
        "A": py_sleep(0.5),
        "F1": py_sleep(1), "F2": py_sleep(1), "F3": py_sleep(1), "F4": py_sleep(1),
        "RETRY": fail_once(marker, 1),
        "FAIL": always_fail(),
    }
    out.update(level0)
    barrier(level0.values())

    level1 = {
        "B1": bash_sleep(1, inputs=[out["A"]]),
        "C1": py_sleep(1, inputs=[out["A"]]),
        "DEP": py_sleep(0.1, inputs=[out["FAIL"]]),
    }
    out.update(level1)
    barrier(level1.values())

    level2 = {
        "B2": bash_sleep(2, inputs=[out["B1"]]),
        "C2": py_sleep(4, inputs=[out["C1"]]),
    }
    out.update(level2)
    barrier(level2.values())

    level3 = {"B3": bash_sleep(2, inputs=[out["B2"]])}
    out.update(level3)
    barrier(level3.values())

    out["JOIN"] = join(inputs=[out["B3"], out["C2"], out["F1"], out["F2"], out["F3"], out["F4"]])
    wait_all(out.values())

    for name, f in out.items():
        exc = f.exception()
        print(f"  {mode} {name:5} task {f.tid}: {'ok' if exc is None else type(exc).__name__}")


def wait_for_workers(dfk, settle):
    """Hold the DAG back until the block's workers are up, so the runs do not measure worker start-up.

    The manager registers with the interchange before its worker processes exist, and on a loaded
    2-core machine the workers took up to a minute more to import Parsl. Nothing reports them to
    the submit side, but each worker opens its log file (…/block-0/<manager>/worker_<i>.log) once it
    is up: wait for WORKERS of them in this run's directory, then `settle` seconds more.
    """
    executor = next(iter(dfk.executors.values()))
    if not hasattr(executor, "connected_managers"):
        return  # thread pool: its threads exist as soon as the executor does
    # Should the pool still fail to register (see htex_executor), exit with NO_MANAGER, so that
    # make-traces.sh runs the workflow again from scratch.
    deadline = time.time() + 300
    while time.time() < deadline:
        managers = executor.connected_managers
        managers = managers() if callable(managers) else managers  # a property in Parsl 1.0
        if sum(m["worker_count"] for m in managers) >= WORKERS:
            break
        time.sleep(0.5)
    else:
        print("workflow.py: no manager with all its workers registered within 300 s", file=sys.stderr)
        dfk.cleanup()  # stops the interchange and the monitoring processes
        sys.exit(NO_MANAGER)
    deadline = time.time() + 600
    worker_logs = os.path.join(dfk.run_dir, "**", "worker_*.log")
    while len(glob.glob(worker_logs, recursive=True)) < WORKERS and time.time() < deadline:
        time.sleep(0.5)
    print(f"  {len(glob.glob(worker_logs, recursive=True))} worker logs in {dfk.run_dir}")
    time.sleep(settle)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--executor", choices=["htex", "threads"], default="htex")
    parser.add_argument("--db", required=True, help="monitoring database to create (must not exist)")
    parser.add_argument("--run-dir", required=True, help="Parsl run_dir (logs, markers)")
    parser.add_argument("--settle", type=float, default=5.0,
                        help="seconds to wait once the HTEX workers are up (default 5)")
    args = parser.parse_args()
    if os.path.exists(args.db):
        sys.exit(f"workflow.py: {args.db} exists; remove it first so the db holds exactly two runs")
    os.makedirs(args.run_dir, exist_ok=True)

    print(f"parsl {parsl.__version__} from {os.path.dirname(parsl.__file__)}, python {sys.version.split()[0]}")
    for mode in ("async", "sync"):
        config = make_config(args.executor, args.db, args.run_dir, f"asyncscope-paper-dag-{mode}")
        dfk = parsl.load(config)
        wait_for_workers(dfk, args.settle)
        started = time.time()
        run_dag(mode, os.path.join(os.path.abspath(args.run_dir), f"retry-marker-{mode}"))
        print(f"  {mode} run {dfk.run_id}: {time.time() - started:.1f} s")
        dfk.cleanup()
        parsl.clear()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The figures a Parsl importer must reproduce, computed by SQL straight from Parsl's monitoring.db files.

    figures.py DB...                 prints a Markdown summary (the README's tables)
    figures.py --json OUT DB...      also writes OUT (expected.json)

Works on both monitoring schemas: the newer one (Parsl >= 1.1, with a `try` table) and the older one
(Parsl <= 1.0, where task and try were one `task` row). The definitions, per run_id:

  tasks              rows of `task`
  tasks_ran          tasks with a successful try: a status row `exec_done` (newer) or `done` (older)
  tasks_failed       tasks with a status row `failed`
  tasks_dep_fail     tasks with a status row `dep_fail`
  tasks_no_final     tasks with none of those statuses (Parsl 1.0 loses the final failure: see README)
  tries              tries that were launched: `try` rows with task_try_time_launched set (newer);
                     status rows `launched` (older, which has no try table)
  try_rows           rows of `try` (newer only: a dep_fail task gets one row that never launched)
  makespan_s         last task_try_time_returned - first task_try_time_running over the tries (newer);
                     last task_time_returned - first `running` status (older: task_time_running is
                     overwritten by each retry, and a task that failed for good has no time returned)
  dependency_edges   entries of task.task_depends (comma-separated ids of the tasks it waited on)
  parsl_counters     workflow.tasks_completed_count / tasks_failed_count, as Parsl wrote them
  rows               row counts of status, resource, node, block for that run

Uses only Python's sqlite3 module. Timestamps are Parsl's naive local times (UTC on the machine that
made these files).
"""
import argparse
import datetime
import json
import os
import sqlite3
import sys

DONE_STATES = ("exec_done", "done")  # newer / older name of "the app returned a value"


def columns(con, table):
    return [row[1] for row in con.execute(f'PRAGMA table_info("{table}")')]


def schema(con):
    tables = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {t: columns(con, t) for t in tables}


def seconds_between(first, last):
    if first is None or last is None:
        return None
    fmt = datetime.datetime.fromisoformat
    return round((fmt(last) - fmt(first)).total_seconds(), 6)


def tasks_with_status(con, run_id, names):
    marks = ",".join("?" * len(names))
    return {r[0] for r in con.execute(
        f"SELECT DISTINCT task_id FROM status WHERE run_id = ? AND task_status_name IN ({marks})",
        (run_id, *names))}


def run_figures(con, run_id, tables):
    newer = "try" in tables
    one = lambda sql, *args: con.execute(sql, (run_id, *args)).fetchone()[0]  # noqa: E731

    task_ids = [r[0] for r in con.execute("SELECT task_id FROM task WHERE run_id = ? ORDER BY task_id", (run_id,))]
    ran = tasks_with_status(con, run_id, DONE_STATES)
    failed = tasks_with_status(con, run_id, ("failed",))
    dep_fail = tasks_with_status(con, run_id, ("dep_fail",))

    if newer:
        tries = one("SELECT count(*) FROM try WHERE run_id = ? AND task_try_time_launched IS NOT NULL")
        try_rows = one("SELECT count(*) FROM try WHERE run_id = ?")
        first, last = con.execute(
            "SELECT min(task_try_time_running), max(task_try_time_returned) FROM try "
            "WHERE run_id = ? AND task_try_time_running IS NOT NULL", (run_id,)).fetchone()
        tries_of = dict(con.execute(
            "SELECT task_id, count(*) FROM try WHERE run_id = ? AND task_try_time_launched IS NOT NULL "
            "GROUP BY task_id", (run_id,)))
    else:
        tries = one("SELECT count(*) FROM status WHERE run_id = ? AND task_status_name = 'launched'")
        try_rows = None
        first = one("SELECT min(timestamp) FROM status WHERE run_id = ? AND task_status_name = 'running'")
        last = one("SELECT max(task_time_returned) FROM task WHERE run_id = ?")
        tries_of = dict(con.execute(
            "SELECT task_id, count(*) FROM status WHERE run_id = ? AND task_status_name = 'launched' "
            "GROUP BY task_id", (run_id,)))

    edges = 0
    per_task = []
    for task_id, func, depends in con.execute(
            "SELECT task_id, task_func_name, task_depends FROM task WHERE run_id = ? ORDER BY task_id", (run_id,)):
        deps = [int(d) for d in (depends or "").split(",") if d.strip()]
        edges += len(deps)
        final = ("done" if task_id in ran else "failed" if task_id in failed
                 else "dep_fail" if task_id in dep_fail else None)
        per_task.append({"task_id": task_id, "func": func, "depends": deps,
                         "final": final, "tries": tries_of.get(task_id, 0)})

    name, completed, failed_count = con.execute(
        "SELECT workflow_name, tasks_completed_count, tasks_failed_count FROM workflow WHERE run_id = ?",
        (run_id,)).fetchone()
    rows = {t: one(f'SELECT count(*) FROM "{t}" WHERE run_id = ?')
            for t in ("status", "resource", "node", "block") if t in tables}
    return {
        "workflow_name": name,
        "tasks": len(task_ids),
        "tasks_ran": len(ran),
        "tasks_failed": len(failed),
        "tasks_dep_fail": len(dep_fail),
        "tasks_no_final": len(set(task_ids) - ran - failed - dep_fail),
        "tries": tries,
        "try_rows": try_rows,
        "first_running": first,
        "last_returned": last,
        "makespan_s": seconds_between(first, last),
        "dependency_edges": edges,
        "parsl_counters": {"tasks_completed_count": completed, "tasks_failed_count": failed_count},
        "rows": rows,
        "per_task": per_task,
    }


def db_figures(path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    tables = schema(con)
    runs = {}
    for (run_id,) in con.execute("SELECT run_id FROM workflow ORDER BY time_began"):
        runs[run_id] = run_figures(con, run_id, tables)
    con.close()
    return {"schema": "newer (try table)" if "try" in tables else "older (no try table)",
            "tables": tables, "runs": runs}


def markdown(name, fig):
    out = [f"### {name}", "", f"Schema: {fig['schema']}.", "",
           "| run_id | workflow_name | tasks | ran | failed | dep_fail | no final status | tries "
           "| makespan (s) | dependency edges | Parsl's completed/failed counters |",
           "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for run_id, r in fig["runs"].items():
        c = r["parsl_counters"]
        out.append(f"| `{run_id}` | {r['workflow_name']} | {r['tasks']} | {r['tasks_ran']} | {r['tasks_failed']} "
                   f"| {r['tasks_dep_fail']} | {r['tasks_no_final']} | {r['tries']} | {r['makespan_s']:.3f} "
                   f"| {r['dependency_edges']} | {c['tasks_completed_count']}/{c['tasks_failed_count']} |")
    out.append("")
    out.append("Rows per run: " + "; ".join(
        f"`{run_id[:8]}` " + ", ".join(f"{t} {n}" for t, n in r["rows"].items())
        for run_id, r in fig["runs"].items()) + ".")
    out.append("")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", metavar="OUT", help="write the figures of every DB to OUT")
    parser.add_argument("dbs", nargs="+")
    args = parser.parse_args()
    figures = {}
    for path in args.dbs:
        if not os.path.isfile(path):
            sys.exit(f"figures.py: {path}: no such file")
        figures[os.path.basename(path)] = db_figures(path)
        print(markdown(os.path.basename(path), figures[os.path.basename(path)]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()

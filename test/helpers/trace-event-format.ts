/**
 * A checker of Chrome Trace Event Format rules, as Perfetto UI and chrome://tracing apply them to
 * JSON traces (https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU):
 * - the document is an object with a `traceEvents` list (or a bare list) of event objects;
 * - every `ph` is a phase the format defines;
 * - `ts` (and `dur` of X events) are finite numbers of microseconds, `dur` >= 0; pid and tid integers;
 * - complete (X) slices of one pid/tid never partly overlap (compared, as Perfetto does, in whole
 *   nanoseconds); in asyncscope's exports they must not overlap at all (`strictLanes`);
 * - a `process_name` M event names every pid used, a `thread_name` M event every pid/tid of a slice;
 * - counter (C) events have numeric args.
 * Returns the problems found (empty when the trace is valid), so a failing test says what is wrong.
 */

const PHASES = new Set(['B', 'E', 'X', 'i', 'I', 'C', 'b', 'n', 'e', 'S', 'T', 'p', 'F', 's', 't', 'f', 'P', 'N', 'O', 'D', 'M', 'V', 'v', 'R', 'c', '(', ')']);

export interface TraceCheck {
  problems: string[];
  /** Events per phase. */
  phases: Record<string, number>;
  /** Distinct pid/tid pairs of X slices. */
  threads: number;
}

export function checkTraceEventFormat(document: unknown, options: { strictLanes?: boolean } = {}): TraceCheck {
  const problems: string[] = [];
  const phases: Record<string, number> = {};
  const say = (problem: string) => {
    if (problems.length < 20) problems.push(problem);
  };
  let events: unknown[];
  if (Array.isArray(document)) events = document;
  else if (typeof document === 'object' && document !== null && Array.isArray((document as { traceEvents?: unknown }).traceEvents)) {
    events = (document as { traceEvents: unknown[] }).traceEvents;
  } else {
    return { problems: ['not a list of events nor an object with a traceEvents list'], phases, threads: 0 };
  }

  const processNames = new Set<number>();
  const threadNames = new Set<string>();
  const usedPids = new Set<number>();
  const slicesByThread = new Map<string, [number, number, number][]>(); // [start ns, end ns, event index]
  events.forEach((value, index) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return say(`event ${index} is not an object`);
    const e = value as Record<string, unknown>;
    const ph = e.ph;
    if (typeof ph !== 'string' || !PHASES.has(ph)) return say(`event ${index}: unknown phase ${JSON.stringify(ph)}`);
    phases[ph] = (phases[ph] ?? 0) + 1;
    if (!Number.isInteger(e.pid)) return say(`event ${index}: pid ${JSON.stringify(e.pid)} is not an integer`);
    const pid = e.pid as number;
    if (e.tid !== undefined && !Number.isInteger(e.tid)) return say(`event ${index}: tid ${JSON.stringify(e.tid)} is not an integer`);
    if (ph !== 'M') {
      usedPids.add(pid);
      if (typeof e.ts !== 'number' || !Number.isFinite(e.ts)) return say(`event ${index}: ts ${JSON.stringify(e.ts)} is not a number of microseconds`);
    }
    if (ph === 'M') {
      const name = (e.args as { name?: unknown } | undefined)?.name;
      if (e.name === 'process_name' && typeof name === 'string') processNames.add(pid);
      if (e.name === 'thread_name' && typeof name === 'string') threadNames.add(`${pid}/${e.tid}`);
    } else if (ph === 'X') {
      if (e.tid === undefined) return say(`event ${index}: an X slice without tid`);
      if (typeof e.dur !== 'number' || !Number.isFinite(e.dur) || e.dur < 0) return say(`event ${index}: dur ${JSON.stringify(e.dur)} is not a duration in microseconds`);
      const key = `${pid}/${e.tid}`;
      const start = Math.round((e.ts as number) * 1000);
      const end = start + Math.round(e.dur * 1000);
      let list = slicesByThread.get(key);
      if (!list) slicesByThread.set(key, (list = []));
      list.push([start, end, index]);
    } else if (ph === 'C') {
      const args = e.args as Record<string, unknown> | undefined;
      if (!args || Object.values(args).some((v) => typeof v !== 'number' || !Number.isFinite(v))) say(`event ${index}: a counter without numeric args`);
    }
  });

  for (const pid of usedPids) if (!processNames.has(pid)) say(`pid ${pid} has no process_name metadata`);
  for (const [key, list] of slicesByThread) {
    if (!threadNames.has(key)) say(`thread ${key} has no thread_name metadata`);
    list.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const open: [number, number, number][] = [];
    for (const slice of list) {
      while (open.length > 0 && open[open.length - 1][1] <= slice[0]) open.pop();
      const parent = open[open.length - 1];
      if (parent && (options.strictLanes || slice[1] > parent[1])) {
        say(`thread ${key}: slices ${parent[2]} and ${slice[2]} overlap (${parent[0]}-${parent[1]} ns and ${slice[0]}-${slice[1]} ns)`);
      }
      open.push(slice);
    }
  }
  return { problems, phases, threads: slicesByThread.size };
}

/**
 * The floors of src/, top to bottom. A module imports only from its own folder and from the
 * floors below it; folders on one floor do not import each other (the ground floor excepted:
 * its modules are the shared vocabulary). `npm test` runs these rules (test/layers.test.ts);
 * `npm run lint:layers` prints every violation.
 *
 *   commands                                    one file per command: flags in, one call, print
 *   cli, demo                                   what commands share (base command, flags, progress, text of
 *                                               analyses); the demo workflow (run or ingest, then report)
 *   report, check, runner                       HTML reports; regression checks and baselines; running a
 *                                               workflow spec for real on this machine (runs, then ingests)
 *   model, exporters, history                   specs, simulation, prediction; Chrome/CSV/JSONL writers;
 *                                               a metric's series over runs and its change points
 *   analysis, importers, synthetic, provenance  metrics over task intervals; traces in; fake traces (bench);
 *                                               where a run came from (CI environment, git, --meta)
 *   store                                       the Store interface, SQLite behind it
 *   run, text, files, util, errors              description of a run, text and number formats, user
 *                                               files, heap and seeded random, errors
 */
const FLOORS = [
  ['commands'],
  ['cli', 'demo'],
  ['report', 'check', 'runner'],
  ['model', 'exporters', 'history'],
  ['analysis', 'importers', 'synthetic', 'provenance'],
  ['store'],
  ['run', 'text', 'files', 'util', 'errors.ts'],
];

const path = (folder) => (folder.endsWith('.ts') ? `^src/${folder.replace('.', '\\.')}$` : `^src/${folder}/`);
const any = (folders) => folders.map(path);

const layering = FLOORS.flatMap((floor, level) => {
  const above = FLOORS.slice(0, level).flat();
  const ground = level === FLOORS.length - 1;
  return floor.map((folder) => ({
    name: `floor-${folder.replace('.ts', '')}`,
    comment: `src/${folder} may import only from the floors below it${ground ? '' : ` (not from ${above.length > 0 ? `${above.join(', ')} above, nor ` : ''}its neighbours ${floor.filter((f) => f !== folder).join(', ') || '-'})`}`,
    severity: 'error',
    from: { path: path(folder) },
    to: { path: any([...above, ...(ground ? [] : floor.filter((f) => f !== folder))]) },
  }));
}).filter((rule) => rule.to.path.length > 0);

module.exports = {
  forbidden: [
    ...layering,
    {
      name: 'sql-in-store',
      comment: 'SQLite is reached only through the Store interface: better-sqlite3 and store/sqlite/ are for store/ alone',
      severity: 'error',
      from: { pathNot: '^src/store/' },
      to: { path: ['^src/store/sqlite/', 'node_modules/better-sqlite3/'] },
    },
    {
      name: 'oclif-in-commands',
      comment: 'the command-line framework is for commands and cli/ alone',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/commands/', '^src/cli/'] },
      to: { path: 'node_modules/@oclif/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    { name: 'resolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    // Packages that declare ES module entry points in their exports map (@oclif/core, vega-lite).
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], mainFields: ['module', 'main'] },
  },
};

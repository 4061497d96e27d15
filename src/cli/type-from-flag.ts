/**
 * `--type-from`: where task types come from (ingest, runs edit). The rules: importers/type-rule.ts.
 */
import * as Flags from '@oclif/core/flags';

export const typeFromFlag = Flags.string({
  description:
    "Task types from: the task name without its number (name), the stage's name (stage), the program run (executable), the trace's own types (trace), or the first capture group of a regular expression matched against the name, else the uid (regex:PATTERN)",
  helpValue: 'name|stage|executable|trace|regex:PATTERN',
});

/**
 * `check --json`: `{ "passed", "rules": [{ "name", "metric", "run", "value", "baseline", "limit",
 * "passed", "significant", "message" }] }`.
 *
 * - `passed` (top): no rule failed that counts, i.e. the exit code is 0 (informational rules and
 *   `--informational` never fail it; their own `passed` still says what would have failed).
 * - `value`: the candidate's value (the median of its runs, outliers fenced out);
 *   `baseline`: the baseline's (median of its samples), null without a baseline;
 *   `limit`: the value the candidate must not pass, in the metric's units.
 * - `significant`: the test's verdict (Mann-Whitney U for relative rules, sign test for absolute
 *   ones) at --alpha; null when no test was made (one value on each side, or too few to reach alpha).
 */
import type { CheckReport } from '../run-check.js';

export interface CheckRuleJson {
  name: string;
  metric: string;
  run: string;
  value: number;
  baseline: number | null;
  limit: number;
  passed: boolean;
  significant: boolean | null;
  message: string;
}

export interface CheckJson {
  passed: boolean;
  rules: CheckRuleJson[];
}

export function checkJson(report: CheckReport): CheckJson {
  return {
    passed: report.passed,
    rules: report.outcomes.map((o) => ({
      name: o.rule.name,
      metric: o.rule.metric.text,
      run: o.run,
      value: o.evaluation.value,
      baseline: o.evaluation.baseline,
      limit: o.evaluation.limit,
      passed: o.evaluation.passed,
      significant: o.evaluation.significant,
      message: o.message,
    })),
  };
}

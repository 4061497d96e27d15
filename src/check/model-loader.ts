/**
 * The model, for the checks that need it (compare.* and predict.* metrics, and baselines saved
 * with them), loaded only then: a check of analysis metrics starts faster in CI without the model
 * and the YAML parser of specs.
 */
import type { RunData } from '../model/infer-spec.js';
import type { StoredRun } from '../run/stored-run.js';
import type { Store } from '../store/store.js';

export async function loadModel() {
  const [{ compareRuns, comparisonJson }, { loadRunData }, { predict, predictionJson }, { readSpecFile }] = await Promise.all([
    import('../model/compare.js'),
    import('../model/from-store.js'),
    import('../model/predict.js'),
    import('../model/spec-file.js'),
  ]);
  return {
    /** What the model needs of a stored run. */
    runData: (store: Store, run: StoredRun) => loadRunData(store, run),
    /** The comparison of a synchronous run and a candidate, as `compare` makes it. */
    compare: (sync: RunData, candidate: RunData) => compareRuns({ sync, async: candidate }),
    comparisonJson,
    /** `predict --json` of a spec file. */
    prediction: (specFile: string) => predictionJson(predict(readSpecFile(specFile))),
  };
}

export type Model = Awaited<ReturnType<typeof loadModel>>;

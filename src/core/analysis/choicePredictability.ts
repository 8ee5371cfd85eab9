/**
 * "Can the choice be predicted?" (HVP paper, App. F.1.2, under 40 % there): fit the conditional-logit
 * choice model (choiceModel.ts) to the first part of the log — one group per image of a selection
 * step, its candidate pairs and the selected one — and report how often it names the selected pair
 * on the rest of the log, beside chance (mean of 1/numCandidates, i.e. 1/C(N,2) for N views).
 * Also builds a pair's features from the two views' parameters (viewPairCandidates).
 * One call, plain data in and out, so a worker can run it and post the result as is.
 *
 * Must not import: tfjs, DOM; nothing from core.
 */
import { fitChoiceModel, predictChoices, validateChoiceGroups, type ChoiceGroup, type ChoiceModelOptions } from './choiceModel';
import { AnalysisInputError } from './regressionData';

/** The log as choices: feature names of a candidate row and one group per image, in log order. */
export interface ChoiceData {
  readonly featureNames: readonly string[];
  readonly groups: readonly ChoiceGroup[];
}

/** Settings of choicePredictability. */
export interface ChoicePredictabilityOptions extends ChoiceModelOptions {
  /** Fraction of the groups (from the start of the log) to train on. Default 0.7; range (0, 1). */
  readonly trainFraction?: number;
}

/** Result; plain data (structured-clone safe). */
export interface ChoicePredictabilityResult {
  /** The model: 'conditionalLogit' (linear score per candidate, argmax per image). */
  readonly method: 'conditionalLogit';
  /** Fraction of held-out groups whose selected candidate the model names. */
  readonly accuracy: number;
  /** Expected accuracy of a uniform guess on the held-out groups: mean of 1/numCandidates. */
  readonly chance: number;
  /** Accuracy on the training groups (far above `accuracy` means overfitting). */
  readonly trainAccuracy: number;
  readonly numTrainGroups: number;
  readonly numTestGroups: number;
  /** Weight of each feature on the standardised scale: > 0 means "higher values get selected". */
  readonly weights: readonly { readonly name: string; readonly weight: number }[];
}

/** Trains on the first trainFraction of data.groups, tests on the rest. Throws AnalysisInputError on bad input. */
export function choicePredictability(data: ChoiceData, options: ChoicePredictabilityOptions = {}): ChoicePredictabilityResult {
  const p = data.featureNames.length;
  if (p === 0) throw new AnalysisInputError('no candidate features given');
  validateChoiceGroups(data.groups, p);
  const numGroups = data.groups.length;
  if (numGroups < 2) throw new AnalysisInputError(`need at least 2 groups (images) to train and test, got ${numGroups}`);
  const fraction = Math.min(0.99, Math.max(0.01, options.trainFraction ?? 0.7));
  const numTrain = Math.min(numGroups - 1, Math.max(1, Math.round(numGroups * fraction)));
  const train = data.groups.slice(0, numTrain);
  const test = data.groups.slice(numTrain);
  const model = fitChoiceModel(train, p, options);
  const accuracyOn = (groups: readonly ChoiceGroup[]): number => {
    const pred = predictChoices(model, groups);
    let hits = 0;
    groups.forEach((g, i) => (hits += pred[i] === g.selectedIdx ? 1 : 0));
    return hits / groups.length;
  };
  return {
    method: 'conditionalLogit',
    accuracy: accuracyOn(test),
    chance: test.reduce((s, g) => s + 1 / g.candidates.length, 0) / test.length,
    trainAccuracy: accuracyOn(train),
    numTrainGroups: train.length,
    numTestGroups: test.length,
    weights: data.featureNames.map((name, j) => ({ name, weight: model.weights[j] })),
  };
}

/**
 * Candidate rows of every pair (k < l, in the order (0,1), (0,2), …, (1,2), …) of one image's views,
 * from the views' parameter rows: for each view parameter its min and max over the two views (a
 * pair is unordered, and max − min is their difference), then the pair's own metrics if given.
 * Feature names: `${name}Min`, `${name}Max` per view parameter, then the pair metric names.
 */
export function viewPairCandidates(
  viewParamNames: readonly string[],
  viewRows: readonly (readonly number[])[],
  pairMetrics?: { readonly names: readonly string[]; readonly rows: readonly (readonly number[])[] },
): { featureNames: string[]; candidates: number[][] } {
  const featureNames = [...viewParamNames.flatMap((n) => [`${n}Min`, `${n}Max`]), ...(pairMetrics?.names ?? [])];
  const candidates: number[][] = [];
  for (let k = 0; k < viewRows.length; k++) {
    for (let l = k + 1; l < viewRows.length; l++) {
      const row = viewParamNames.flatMap((_, j) => [Math.min(viewRows[k][j], viewRows[l][j]), Math.max(viewRows[k][j], viewRows[l][j])]);
      const metrics = pairMetrics?.rows[candidates.length];
      if (pairMetrics && !metrics) throw new AnalysisInputError(`pair metrics: missing row for pair (${k}, ${l})`);
      candidates.push(metrics ? [...row, ...metrics] : row);
    }
  }
  return { featureNames, candidates };
}

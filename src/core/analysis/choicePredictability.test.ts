/**
 * Known-answer tests of the choice model: selection by lowest iou is learned almost perfectly, a
 * random selection stays at chance, features built from per-view parameters work, bad input is named.
 */
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../random';
import { choicePredictability, viewPairCandidates, type ChoiceData } from './choicePredictability';
import type { ChoiceGroup } from './choiceModel';
import { AnalysisInputError } from './regressionData';

const PAIR_METRICS = ['iou', 'centerDistance', 'colorDistance', 'brightness', 'contrast', 'saturation', 'hue'];
const NUM_PAIRS = 6; // C(4, 2): four views per image

/** numImages groups of NUM_PAIRS random pair-metric rows; `pick` chooses the selected pair. */
function syntheticChoices(numImages: number, seed: number, pick: (c: number[][], rng: Rng) => number): ChoiceData {
  const rng = createRng(seed);
  const groups: ChoiceGroup[] = [];
  for (let g = 0; g < numImages; g++) {
    const candidates = Array.from({ length: NUM_PAIRS }, () => PAIR_METRICS.map(() => rng.next()));
    groups.push({ candidates, selectedIdx: pick(candidates, rng) });
  }
  return { featureNames: PAIR_METRICS, groups };
}

const argmin = (values: number[]): number => values.reduce((best, v, i) => (v < values[best] ? i : best), 0);

describe('choicePredictability (conditional logit)', () => {
  it('predicts a lowest-iou selection almost always, with a negative iou weight', () => {
    const data = syntheticChoices(1500, 1, (c) => argmin(c.map((row) => row[0])));
    const r = choicePredictability(data);
    expect(r.method).toBe('conditionalLogit');
    expect(r.chance).toBeCloseTo(1 / NUM_PAIRS, 10);
    expect(r.accuracy).toBeGreaterThan(0.97);
    const iou = r.weights.find((w) => w.name === 'iou')!.weight;
    for (const w of r.weights) if (w.name !== 'iou') expect(Math.abs(w.weight)).toBeLessThan(Math.abs(iou) / 10);
    expect(iou).toBeLessThan(0);
    expect(r.numTrainGroups).toBe(1050);
    expect(r.numTestGroups).toBe(450);
  });

  it('stays near chance when the selection is random', () => {
    const data = syntheticChoices(1500, 2, (c, rng) => rng.int(c.length));
    const r = choicePredictability(data, { trainFraction: 0.5 });
    // chance 1/6 ≈ 0.167; 750 test groups give a standard error of ≈ 0.014
    expect(Math.abs(r.accuracy - r.chance)).toBeLessThan(0.05);
  });

  it('learns from per-view parameters: the pair holding the smallest crop scale', () => {
    const rng = createRng(3);
    const viewParams = ['scale', 'flip', 'brightness'];
    const groups: ChoiceGroup[] = [];
    let featureNames: string[] = [];
    for (let g = 0; g < 600; g++) {
      const views = Array.from({ length: 4 }, () => [rng.uniform(0.08, 1), rng.int(2), rng.uniform(0.6, 1.4)]);
      const built = viewPairCandidates(viewParams, views);
      featureNames = built.featureNames;
      // selected: the pair whose smaller crop is smallest, ties broken by the larger crop
      const score = built.candidates.map((c) => c[0] + 1e-3 * c[1]);
      groups.push({ candidates: built.candidates, selectedIdx: argmin(score) });
    }
    expect(featureNames).toEqual(['scaleMin', 'scaleMax', 'flipMin', 'flipMax', 'brightnessMin', 'brightnessMax']);
    expect(groups[0].candidates).toHaveLength(6);
    const r = choicePredictability({ featureNames, groups });
    expect(r.accuracy).toBeGreaterThan(0.6); // far above chance 1/6; the tie-break is nonlinear in part
    expect(r.accuracy).toBeGreaterThan(3 * r.chance);
  });

  it('is deterministic and names bad input', () => {
    const data = syntheticChoices(200, 4, (c) => argmin(c.map((row) => row[2])));
    expect(choicePredictability(data)).toEqual(choicePredictability(data));
    const bad = { featureNames: ['iou'], groups: [{ candidates: [[0.1], [0.2]], selectedIdx: 2 }, { candidates: [[0.3]], selectedIdx: 0 }] };
    expect(() => choicePredictability(bad)).toThrow(AnalysisInputError);
    expect(() => choicePredictability(bad)).toThrow(/group 0: selectedIdx 2/);
    expect(() => choicePredictability({ featureNames: ['iou'], groups: [{ candidates: [[NaN]], selectedIdx: 0 }] })).toThrow(/feature 0 is NaN/);
  });
});

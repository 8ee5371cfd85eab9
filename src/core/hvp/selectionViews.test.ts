// Selection-view helpers (hvp/selectionViews.ts): the shared colour of a colour-static step (per
// step / per image, from a stateless stream), what it replaces and keeps, the selection size, and
// the agreement of two choices.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config/runConfig';
import { augmentFromConfig, sampleBatchViewParams } from '../data/viewParams';
import { createRng } from '../random';
import { colorOf, selectionAgreement, selectionSize, sharedColors, withSharedColor } from './selectionViews';

const aug = augmentFromConfig({ ...DEFAULT_CONFIG, jitterProb: 1, grayscaleProb: 0.5, solarizeProb: 0.5, blurProb: 0.5 });
const M = 6, G = 4;
const params = sampleBatchViewParams(createRng(1), aug, G, M, 32, 32);

describe('colour-static selection views', () => {
  it("'step' shares one colour across every view; crop, flip and blur stay each view's own", () => {
    const colors = sharedColors('step', 7, 3, aug, M, 32, 32);
    const shared = withSharedColor(params, colors);
    for (let v = 0; v < G * M; v++) {
      expect(colorOf(shared[v]!)).toEqual(colors[0]);
      const { top, left, height, width, isFlipped, blurSigma } = params[v]!;
      expect(shared[v]).toMatchObject({ top, left, height, width, isFlipped, blurSigma });
    }
    // The per-view colours differ from each other (and so from the shared one somewhere).
    expect(new Set(params.map((p) => p.brightness)).size).toBe(G * M);
    expect(params.some((p) => p.brightness !== colors[0]!.brightness)).toBe(true);
    expect(params[0]).not.toEqual(shared[0]); // the input is not mutated
  });

  it("'image' shares one colour per image, different between images", () => {
    const colors = sharedColors('image', 7, 3, aug, M, 32, 32);
    const shared = withSharedColor(params, colors);
    for (let v = 0; v < G * M; v++) expect(colorOf(shared[v]!)).toEqual(colors[v % M]);
    expect(new Set(colors.map((c) => c.brightness)).size).toBe(M);
  });

  it('is a stateless function of (seed, step): same inputs same colours, another step or seed differs', () => {
    expect(sharedColors('image', 7, 3, aug, M, 32, 32)).toEqual(sharedColors('image', 7, 3, aug, M, 32, 32));
    expect(sharedColors('step', 7, 4, aug, M, 32, 32)[0]).not.toEqual(sharedColors('step', 7, 3, aug, M, 32, 32)[0]);
    expect(sharedColors('step', 8, 3, aug, M, 32, 32)[0]).not.toEqual(sharedColors('step', 7, 3, aug, M, 32, 32)[0]);
  });
});

describe('selectionSize and selectionAgreement', () => {
  it('rounds the scaled side, at least 1 px', () => {
    expect(selectionSize(32, 0.5)).toBe(16);
    expect(selectionSize(32, 1)).toBe(32);
    expect(selectionSize(10, 0.25)).toBe(3); // 2.5 rounds up
    expect(selectionSize(2, 0.25)).toBe(1);
  });

  it('is the fraction of equal choices', () => {
    expect(selectionAgreement([0, 1, 2, 3], [0, 1, 5, 3])).toBe(0.75);
    expect(selectionAgreement(Int32Array.from([1, 1]), Int32Array.from([1, 1]))).toBe(1);
    expect(selectionAgreement([], [])).toBe(1);
    expect(() => selectionAgreement([1], [1, 2])).toThrow(RangeError);
  });
});

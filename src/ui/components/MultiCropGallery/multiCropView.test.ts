/**
 * Multi-crop gallery view model on synthetic MultiCropProbe records: views and the chosen
 * combination, the terms heatmap (DINO blank diagonal, iBOT masked-patch diagonal, NaN skipped),
 * combination ranking per mode, candidate counts and malformed records.
 */
import { describe, expect, it } from 'vitest';
import type { ViewParams } from '../../../core/data/types';
import type { MultiCropProbe, ProbeImage } from '../../../core/train/metrics';
import { cropColor } from './cropColors';
import { binomial, comboLabel, multiCropView } from './multiCropView';

const view = (over: Partial<ViewParams> = {}): ViewParams => ({
  top: 0, left: 0, height: 10, width: 10, isFlipped: false, hasJitter: false, brightness: 1, contrast: 1, saturation: 1,
  hue: 0, jitterOrder: [0, 1, 2, 3], isGrayscale: false, blurSigma: 0, isSolarized: false, ...over,
});

/** G = 4 globals, L = 4 locals, combinations of 2 globals (even × odd) and 2 locals. */
function probe(over: Partial<MultiCropProbe> = {}): { image: ProbeImage; mc: MultiCropProbe } {
  const G = 4;
  const L = 4;
  // term(q, v) = 10·q + v, so every cell is identifiable
  const terms = Array.from({ length: G * (G + L) }, (_, i) => 10 * Math.floor(i / (G + L)) + (i % (G + L)));
  const mc: MultiCropProbe = {
    numGlobals: G, numLocals: L, localSize: 8,
    localParams: Array.from({ length: L }, (_, j) => view({ left: j })),
    localViews: new Uint8Array(L * 8 * 8 * 3),
    terms,
    combos: [
      { globals: [0, 1], locals: [0, 1], loss: 3 },
      { globals: [2, 3], locals: [1, 3], loss: 9 },
      { globals: [0, 3], locals: [2, 3], loss: 5 },
      { globals: [2, 1], locals: [0, 2], loss: 9 },
      { globals: [0, 1], locals: [1, 2], loss: 1 },
    ],
    selectedCombo: 1,
    ...over,
  };
  const image: ProbeImage = {
    imageIdx: 7, label: 2, className: 'ring', source: new Uint8Array(32 * 32 * 3), sourceSize: 32,
    params: Array.from({ length: G }, () => view()), views: new Uint8Array(G * 16 * 16 * 3), viewSize: 16,
    pairLosses: [3, 9, 5, NaN, NaN, 9].slice(0, 6), selectedPair: [2, 3], pairIous: [0.5, 0.4, 0.3, 0.2, 0.1, 0.6],
  };
  return { image, mc };
}

describe('multiCropView', () => {
  it('names the views, gives locals their own colours and size, and marks the chosen combination', () => {
    const { image, mc } = probe();
    const m = multiCropView(image, mc, 'dino', 'hard');
    expect(m.globals.map((g) => g.name)).toEqual(['g1', 'g2', 'g3', 'g4']);
    expect(m.locals.map((l) => l.name)).toEqual(['l1', 'l2', 'l3', 'l4']);
    expect(m.globals.map((g) => g.isChosen)).toEqual([false, false, true, true]);
    expect(m.locals.map((l) => l.isChosen)).toEqual([false, true, false, true]);
    expect(m.locals[0]!.color).toBe(cropColor(4));
    expect(m.locals[3]!.color).not.toBe('#ffffff'); // l4 of 4 globals: white on the white card before
    expect(m.locals[2]!.column).toBe(6);
    expect(m.localScale).toBe(0.5);
    expect(m.chosen).toMatchObject({ comboIdx: 1, label: 'g3+g4 · l2 l4', loss: 9, isChosen: true });
  });

  it('blanks DINO’s diagonal and outlines exactly the terms of the chosen combination', () => {
    const { image, mc } = probe();
    const m = multiCropView(image, mc, 'dino', 'hard');
    expect(m.terms).toHaveLength(4);
    expect(m.terms[0]).toHaveLength(8);
    for (let q = 0; q < 4; q++) expect(m.terms[q]![q]).toBeNull();
    expect(m.terms[1]![5]).toMatchObject({ q: 1, v: 5, value: 15, isChosen: false });
    // chosen: globals {2,3} × views {2,3, l2→5, l4→7}, q ≠ v: 2 rows × 3 columns
    const chosenCells = m.terms.flat().filter((c) => c?.isChosen).map((c) => [c!.q, c!.v]);
    expect(chosenCells).toEqual([[2, 3], [2, 5], [2, 7], [3, 2], [3, 5], [3, 7]]);
    // heat over the finite off-diagonal cells: min 1 (q0,v1), max 37 (q3,v7)
    expect(m.terms[0]![1]!.heat).toBe(0);
    expect(m.terms[3]![7]!.heat).toBe(1);
  });

  it('keeps iBOT’s diagonal (the masked-patch term) and counts it in the chosen terms', () => {
    const { image, mc } = probe();
    const m = multiCropView(image, mc, 'ibot', 'hard');
    expect(m.terms[0]![0]).toMatchObject({ value: 0, heat: 0, isChosen: false });
    // the diagonal (0, 11, 22, 33) has its own colour scale; the off-diagonal keeps 1…37
    expect(m.terms[2]![2]).toMatchObject({ value: 22, isChosen: true });
    expect(m.terms[2]![2]!.heat).toBeCloseTo(22 / 33);
    expect(m.terms[3]![3]!.heat).toBe(1);
    expect(m.terms[3]![7]!.heat).toBe(1);
    expect(m.terms[0]![1]!.heat).toBe(0);
    expect(m.terms.flat().filter((c) => c?.isChosen)).toHaveLength(8);
  });

  it('skips NaN terms instead of poisoning the colour scale', () => {
    const { image, mc } = probe();
    const terms = [...mc.terms];
    terms[1] = NaN;
    const m = multiCropView(image, { ...mc, terms }, 'dino', 'hard');
    expect(m.terms[0]![1]).toBeNull();
    expect(m.terms[0]![2]!.heat).toBe(0); // 2 is now the smallest finite term
    expect(m.terms.flat().every((c) => c === null || Number.isFinite(c.heat))).toBe(true);
  });

  it('ranks combinations as the selection does (hard: highest first, ties to the earlier one; easy: lowest first)', () => {
    const { image, mc } = probe();
    const hard = multiCropView(image, mc, 'dino', 'hard', 3);
    expect(hard.topCombos.map((r) => [r.comboIdx, r.rank])).toEqual([[1, 1], [3, 2], [2, 3]]);
    expect(hard.numScored).toBe(5);
    const easy = multiCropView(image, { ...mc, selectedCombo: 4 }, 'dino', 'easy', 2);
    expect(easy.topCombos.map((r) => r.comboIdx)).toEqual([4, 0]);
    expect(easy.topCombos[0]!.isChosen).toBe(true);
  });

  it('appends the chosen combination when it ranks below the shown ones (random mode)', () => {
    const { image, mc } = probe({ selectedCombo: 4 });
    const m = multiCropView(image, mc, 'dino', 'random', 2);
    expect(m.topCombos.map((r) => [r.comboIdx, r.rank, r.isChosen])).toEqual([[1, 1, false], [3, 2, false], [4, 5, true]]);
  });

  it('counts the possible candidates: even × odd globals × C(L, l)', () => {
    const { image, mc } = probe();
    expect(multiCropView(image, mc, 'dino', 'hard').numPossible).toBe(2 * 2 * 6);
    expect(binomial(16, 10)).toBe(8008);
    expect(binomial(3, 5)).toBe(0);
  });

  it('handles a record without locals', () => {
    const { image, mc } = probe();
    const G = 2;
    const m = multiCropView(
      { ...image, params: [view(), view()], selectedPair: [0, 1], pairLosses: [0.7], pairIous: [0.3] },
      { ...mc, numGlobals: G, numLocals: 0, localParams: [], localViews: new Uint8Array(0), terms: [0, 0.7, 0.6, 0], combos: [{ globals: [0, 1], locals: [], loss: 1.3 }], selectedCombo: 0 },
      'dino', 'off',
    );
    expect(m.locals).toEqual([]);
    expect(m.chosen!.label).toBe('g1+g2');
    expect(m.numPossible).toBe(1);
    expect(m.terms[0]![1]).toMatchObject({ value: 0.7, isChosen: true, heat: 1 });
  });

  it('names the malformed field of a record that does not fit its counts', () => {
    const { image, mc } = probe();
    expect(() => multiCropView(image, { ...mc, terms: [1, 2] }, 'dino', 'hard')).toThrow(/2 loss terms, expected G × \(G \+ L\) = 32/);
    expect(() => multiCropView(image, { ...mc, localParams: [] }, 'dino', 'hard')).toThrow(/0 local view parameters for 4 locals/);
    expect(() => multiCropView(image, { ...mc, selectedCombo: 9 }, 'dino', 'hard')).toThrow(/chosen combination 9 of 5/);
  });

  it('labels combinations', () => {
    expect(comboLabel([0, 3], [1, 4])).toBe('g1+g4 · l2 l5');
  });
});

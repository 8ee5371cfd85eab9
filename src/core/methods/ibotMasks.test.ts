// iBOT's block masks: exactly ⌊ratio·T⌋ masked patches, deterministic by (seed, step, view), different
// across steps, views and images, and block-shaped (masked patches mostly have masked neighbours,
// unlike random patches).
import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { blockMask, ibotMasks, maskedCount } from './ibotMasks';

const countOnes = (a: ArrayLike<number>, from = 0, n = a.length): number => {
  let s = 0;
  for (let i = from; i < from + n; i++) s += a[i]!;
  return s;
};

describe('ibotMasks', () => {
  it('masks exactly ⌊ratio · T⌋ patches of every view and image', () => {
    expect(maskedCount(0.3, 8)).toBe(19);
    expect(maskedCount(0.3, 4)).toBe(4);
    expect(maskedCount(0.5, 4)).toBe(8);
    expect(maskedCount(0, 4)).toBe(0);
    for (const [grid, ratio] of [[4, 0.3], [8, 0.3], [8, 0.5], [8, 0.1], [4, 0.75], [2, 0.5]] as const) {
      const masks = ibotMasks({ seed: 7, stepIdx: 3, grid, ratio }, [0, 1, 2], 5);
      const T = grid * grid;
      expect(masks.length).toBe(3 * 5 * T);
      for (let r = 0; r < 15; r++) expect(countOnes(masks, r * T, T)).toBe(maskedCount(ratio, grid));
      expect(masks.every((v) => v === 0 || v === 1)).toBe(true);
    }
    expect(() => maskedCount(1, 4)).toThrow(/mask ratio must be in \[0, 1\), got 1/);
  });

  it('repeats for the same (seed, step, view) and differs across steps, views, images and seeds', () => {
    const spec = { seed: 11, stepIdx: 5, grid: 8, ratio: 0.3 };
    const a = ibotMasks(spec, [0, 1, 2, 3], 4);
    expect(ibotMasks(spec, [0, 1, 2, 3], 4)).toEqual(a);
    // A view's masks do not depend on which other views are drawn with it.
    expect(ibotMasks(spec, [2], 4)).toEqual(a.slice(2 * 4 * 64, 3 * 4 * 64));
    const row = (m: Float32Array, r: number) => Array.from(m.slice(r * 64, (r + 1) * 64));
    expect(row(a, 0)).not.toEqual(row(a, 1)); // image 0 vs image 1 of view 0
    expect(row(a, 0)).not.toEqual(row(a, 4)); // view 0 vs view 1 of image 0
    expect(row(ibotMasks({ ...spec, stepIdx: 6 }, [0], 1), 0)).not.toEqual(row(a, 0));
    expect(row(ibotMasks({ ...spec, seed: 12 }, [0], 1), 0)).not.toEqual(row(a, 0));
  });

  it('places blocks: masked patches mostly touch ≥ 2 masked neighbours (random patches rarely do)', () => {
    const grid = 8;
    const neighbourShare = (mask: ArrayLike<number>): number => {
      let masked = 0;
      let clustered = 0;
      for (let i = 0; i < grid; i++) {
        for (let j = 0; j < grid; j++) {
          if (!mask[i * grid + j]) continue;
          masked++;
          let n = 0;
          for (const [di, dj] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
            const a = i + di!;
            const b = j + dj!;
            if (a >= 0 && a < grid && b >= 0 && b < grid && mask[a * grid + b]) n++;
          }
          if (n >= 2) clustered++;
        }
      }
      return clustered / masked;
    };
    const rng = createRng(3);
    let blocks = 0;
    let random = 0;
    for (let k = 0; k < 50; k++) {
      blocks += neighbourShare(blockMask(rng, grid, 19));
      const perm = rng.permutation(64).slice(0, 19);
      const r = new Uint8Array(64);
      for (const p of perm) r[p] = 1;
      random += neighbourShare(r);
    }
    expect(blocks / 50).toBeGreaterThan(0.6);
    expect(random / 50).toBeLessThan(0.45);
  });

  it('refuses impossible counts', () => {
    expect(() => blockMask(createRng(1), 4, 17)).toThrow(/Cannot mask 17 of 16 patches/);
    expect(() => blockMask(createRng(1), 0, 0)).toThrow(/grid side must be a positive integer/);
  });
});

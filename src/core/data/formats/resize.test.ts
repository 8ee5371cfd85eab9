import { describe, expect, it } from 'vitest';
import { resizeToSquareRgb } from './resize';

/** Resizes a gray image and returns the R channel as rows (G and B are checked equal to R). */
function resizeGray(rows: number[][], size: number): number[][] {
  const h = rows.length;
  const w = rows[0]!.length;
  const dst = new Uint8Array(size * size * 3);
  resizeToSquareRgb(Uint8Array.from(rows.flat()), w, h, 1, size, dst);
  const out: number[][] = [];
  for (let y = 0; y < size; y++) {
    const row: number[] = [];
    for (let x = 0; x < size; x++) {
      const o = (y * size + x) * 3;
      expect(dst[o + 1]).toBe(dst[o]);
      expect(dst[o + 2]).toBe(dst[o]);
      row.push(dst[o]!);
    }
    out.push(row);
  }
  return out;
}

describe('resizeToSquareRgb', () => {
  it('shrinks by area averaging: 4×4 → 2×2 is the mean of each 2×2 block', () => {
    const src = [
      [0, 4, 8, 12],
      [16, 20, 24, 28],
      [32, 36, 40, 44],
      [48, 52, 56, 60],
    ];
    expect(resizeGray(src, 2)).toEqual([
      [10, 18],
      [42, 50],
    ]);
  });

  it('shrinks by fractional areas: 3 → 2 columns weighs the middle column half to each side', () => {
    // out x0 = (p0 + 0.5 p1) / 1.5, x1 = (0.5 p1 + p2) / 1.5; rows stay (2 → 2)
    const src = [
      [0, 90, 180],
      [30, 60, 150],
    ];
    expect(resizeGray(src, 2)).toEqual([
      [30, 150],
      [40, 120],
    ]);
  });

  it('enlarges bilinearly with half-pixel centres and clamped edges: 2×2 → 4×4', () => {
    // per axis: out 0 = p0, 1 = .75 p0 + .25 p1, 2 = .25 p0 + .75 p1, 3 = p1
    const src = [
      [0, 100],
      [200, 40],
    ];
    expect(resizeGray(src, 4)).toEqual([
      [0, 25, 75, 100],
      [50, 59, 76, 85], // 50, 58.75, 76.25, 85
      [150, 126, 79, 55], // 150, 126.25, 78.75, 55
      [200, 160, 80, 40],
    ]);
  });

  it('changes the aspect ratio: 4×1 → 2×2 shrinks columns and repeats the row', () => {
    expect(resizeGray([[10, 30, 50, 70]], 2)).toEqual([
      [20, 60],
      [20, 60],
    ]);
  });

  it('keeps a constant image constant at any size', () => {
    const src = Array.from({ length: 5 }, () => Array.from({ length: 7 }, () => 77));
    for (const size of [1, 3, 11]) expect(resizeGray(src, size).flat().every((v) => v === 77)).toBe(true);
  });

  it('copies RGB exactly at the same size and drops alpha from RGBA', () => {
    const rgb = Uint8Array.from({ length: 3 * 3 * 3 }, (_, i) => (i * 29) & 255);
    const out = new Uint8Array(27);
    resizeToSquareRgb(rgb, 3, 3, 3, 3, out);
    expect(Array.from(out)).toEqual(Array.from(rgb));
    const rgba = Uint8Array.of(10, 20, 30, 0, 40, 50, 60, 128, 70, 80, 90, 255, 100, 110, 120, 7);
    const out2 = new Uint8Array(12);
    resizeToSquareRgb(rgba, 2, 2, 4, 2, out2);
    expect(Array.from(out2)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
  });

  it('averages RGBA colour channels independently of alpha when shrinking', () => {
    const rgba = Uint8Array.of(0, 100, 200, 255, 100, 50, 0, 0); // 2×1
    const out = new Uint8Array(3);
    resizeToSquareRgb(rgba, 2, 1, 4, 1, out);
    expect(Array.from(out)).toEqual([50, 75, 100]);
  });

  it('writes only its own slot at dstOffset', () => {
    const dst = new Uint8Array(3 * 4 * 3).fill(9);
    resizeToSquareRgb(Uint8Array.of(1, 2, 3, 4), 2, 2, 1, 2, dst, 12);
    expect(Array.from(dst.subarray(0, 12)).every((v) => v === 9)).toBe(true);
    expect(Array.from(dst.subarray(12, 24))).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
    expect(Array.from(dst.subarray(24)).every((v) => v === 9)).toBe(true);
  });

  it('rejects a source too short for its stated size', () => {
    expect(() => resizeToSquareRgb(new Uint8Array(10), 2, 2, 4, 2, new Uint8Array(12))).toThrow(/2×2×4/);
  });
});

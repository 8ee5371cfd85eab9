// Tests of the shape-class point tests: extent, area, mirror symmetry (flip-safety), bad input.
import { describe, expect, it } from 'vitest';
import { isInShape, NUM_SHAPE_CLASSES, SHAPE_CLASS_NAMES } from './builtinShapes';

// A grid over [-1.2, 1.2]² offset by an irrational-ish amount so no point sits exactly on an edge.
const GRID = 121;
const coord = (i: number): number => -1.2 + (2.4 * i) / (GRID - 1) + 0.00731;

/** Membership of every grid point for one class, via a point transform. */
function mask(classIdx: number, transform: (u: number, v: number) => [number, number]): boolean[] {
  const out: boolean[] = [];
  for (let i = 0; i < GRID; i++) {
    for (let j = 0; j < GRID; j++) out.push(isInShape(classIdx, ...transform(coord(j), coord(i))));
  }
  return out;
}

describe('builtinShapes', () => {
  it('has ten named classes', () => {
    expect(NUM_SHAPE_CLASSES).toBe(10);
    expect(new Set(SHAPE_CLASS_NAMES).size).toBe(10);
  });

  it('every shape lies inside the unit disk and covers a sizeable area', () => {
    for (let c = 0; c < NUM_SHAPE_CLASSES; c++) {
      const m = mask(c, (u, v) => [u, v]);
      let numIn = 0;
      for (let i = 0; i < GRID; i++) {
        for (let j = 0; j < GRID; j++) {
          if (!m[i * GRID + j]) continue;
          numIn++;
          expect(Math.hypot(coord(i), coord(j)), SHAPE_CLASS_NAMES[c]).toBeLessThanOrEqual(1);
        }
      }
      // Area as a fraction of the unit disk area: between 15 % and 70 %.
      const cellArea = (2.4 / (GRID - 1)) ** 2;
      const fraction = (numIn * cellArea) / Math.PI;
      expect(fraction, SHAPE_CLASS_NAMES[c]).toBeGreaterThan(0.15);
      expect(fraction, SHAPE_CLASS_NAMES[c]).toBeLessThan(0.7);
    }
  });

  it('every shape has a mirror axis, so a horizontal flip is a rotation of the same class', () => {
    const mirrors: Array<(u: number, v: number) => [number, number]> = [
      (u, v) => [-u, v],
      (u, v) => [u, -v],
      (u, v) => [v, u],
    ];
    for (let c = 0; c < NUM_SHAPE_CLASSES; c++) {
      const base = mask(c, (u, v) => [u, v]);
      const hasAxis = mirrors.some((mirror) => {
        const m = mask(c, mirror);
        // Allow a handful of boundary disagreements from floating-point rounding.
        return m.filter((x, k) => x !== base[k]).length <= 3;
      });
      expect(hasAxis, SHAPE_CLASS_NAMES[c]).toBe(true);
    }
  });

  it('the L-shape is not symmetric about the u axis (a real check that mirrors can fail)', () => {
    const base = mask(9, (u, v) => [u, v]);
    const flipped = mask(9, (u, v) => [u, -v]);
    expect(flipped.filter((x, k) => x !== base[k]).length).toBeGreaterThan(100);
  });

  it('rejects an unknown class', () => {
    expect(() => isInShape(10, 0, 0)).toThrow(RangeError);
  });
});

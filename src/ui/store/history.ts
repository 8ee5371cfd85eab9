/**
 * Capped metric histories with uniform decimation.
 *
 * A long run logs far more points than a chart needs. Instead of dropping the start of the run,
 * a history keeps every `stride`-th arrival; when it grows past `cap` it drops every other point
 * and doubles the stride. The first point is always kept, and the kept points stay evenly spaced,
 * so the whole run remains visible at a coarser resolution.
 * Must not import: React, zustand, recharts, tfjs.
 */

/** An immutable, capped series of points in arrival order. */
export interface CappedHistory<T> {
  /** Kept points, oldest first (arrivals 0, stride, 2·stride, …). */
  readonly points: readonly T[];
  /** Keep one arrival out of `stride` (a power of two, starting at 1). */
  readonly stride: number;
  /** Number of points ever appended, kept or not. */
  readonly numSeen: number;
}

/** Default maximum number of kept points per history. */
export const DEFAULT_HISTORY_CAP = 5000;

/** An empty history. */
export function emptyHistory<T>(): CappedHistory<T> {
  return { points: [], stride: 1, numSeen: 0 };
}

/** Returns a new history with `point` appended (if its arrival index falls on the stride) and
 * decimated by two whenever the kept points would exceed `cap`. Never mutates `history`. */
export function appendCapped<T>(history: CappedHistory<T>, point: T, cap: number = DEFAULT_HISTORY_CAP): CappedHistory<T> {
  if (cap < 2) throw new RangeError(`History cap must be at least 2, got ${cap}`);
  const arrivalIdx = history.numSeen;
  const numSeen = arrivalIdx + 1;
  if (arrivalIdx % history.stride !== 0) return { ...history, numSeen };
  let points = [...history.points, point];
  let stride = history.stride;
  while (points.length > cap) {
    // Kept point i is arrival i·stride; keeping even i leaves arrivals 0, 2·stride, 4·stride, …
    points = points.filter((_, i) => i % 2 === 0);
    stride *= 2;
  }
  return { points, stride, numSeen };
}

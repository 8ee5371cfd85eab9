// The view-log window keeps whole steps, drops the oldest past its row cap, and counts what it dropped.
import { describe, expect, it } from 'vitest';
import type { ViewLogRow } from '../../core/analysis/viewLogRow';
import { appendViewLog, EMPTY_VIEW_LOG } from './viewLogWindow';

/** `n` rows of step `step` (only the fields the window reads matter). */
const stepRows = (step: number, n: number): ViewLogRow[] => Array.from({ length: n }, (_, i) => ({ step, image: i, candidate: 0 }) as unknown as ViewLogRow);

describe('appendViewLog', () => {
  it('appends steps until the cap, then drops whole oldest steps', () => {
    let w = EMPTY_VIEW_LOG;
    for (let s = 0; s < 3; s++) w = appendViewLog(w, stepRows(s, 4), 10);
    expect(w.rows.map((r) => r.step)).toEqual([1, 1, 1, 1, 2, 2, 2, 2]);
    expect(w.numSteps).toBe(2);
    expect(w.numDroppedRows).toBe(4);
  });
  it('keeps one step larger than the cap whole, and ignores an empty step', () => {
    const w = appendViewLog(appendViewLog(EMPTY_VIEW_LOG, stepRows(0, 3), 5), stepRows(1, 7), 5);
    expect(w.rows.length).toBe(7);
    expect(w.numSteps).toBe(1);
    expect(appendViewLog(w, [], 5)).toBe(w);
  });
  it('never mutates the window it was given', () => {
    const w = appendViewLog(EMPTY_VIEW_LOG, stepRows(0, 2), 10);
    const before = [...w.rows];
    appendViewLog(w, stepRows(1, 2), 10);
    expect(w.rows).toEqual(before);
  });
});

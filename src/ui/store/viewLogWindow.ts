/**
 * The browser's rolling window of the per-view augmentation log (core/analysis/viewLogRow.ts): the
 * rows of the newest selection steps the worker read (every logEvery steps; the CLI's
 * `--log-views FILE` logs every selection step of the whole run). The Analysis panel fits its
 * models on these rows and exports them as CSV / JSON Lines.
 * Whole steps are dropped from the front once the window holds more than VIEW_LOG_WINDOW_ROWS rows.
 * Must not import: React, zustand, recharts, tfjs.
 */
import type { ViewLogRow } from '../../core/analysis/viewLogRow';

/** Most rows the window keeps: 52 selection steps of the default run (64 images × 6 pairs = 384 rows each). */
export const VIEW_LOG_WINDOW_ROWS = 20_000;

/** The window: rows oldest first, and counts for the panel's "n steps, m pairs" line. */
export interface ViewLogWindow {
  readonly rows: readonly ViewLogRow[];
  /** Selection steps whose rows are in `rows`. */
  readonly numSteps: number;
  /** Rows dropped from the front since the run started. */
  readonly numDroppedRows: number;
}

export const EMPTY_VIEW_LOG: ViewLogWindow = { rows: [], numSteps: 0, numDroppedRows: 0 };

/** The window with one step's rows appended and whole oldest steps dropped past `cap` rows. Never mutates `window`. */
export function appendViewLog(window: ViewLogWindow, added: readonly ViewLogRow[], cap: number = VIEW_LOG_WINDOW_ROWS): ViewLogWindow {
  if (added.length === 0) return window;
  let rows = [...window.rows, ...added];
  let numSteps = window.numSteps + 1;
  let dropped = 0;
  while (rows.length - dropped > cap && numSteps > 1) {
    const oldest = rows[dropped]!.step;
    while (dropped < rows.length && rows[dropped]!.step === oldest) dropped++;
    numSteps -= 1;
  }
  if (dropped > 0) rows = rows.slice(dropped);
  return { rows, numSteps, numDroppedRows: window.numDroppedRows + dropped };
}

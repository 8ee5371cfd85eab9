/**
 * One cell of `sweep`: the ordinary training run of `train` (trainingRun.ts: the same setup, run
 * loop, evaluations and Ctrl-C handling) into a temporary checkpoint, whose recorded history is read
 * back and summarised into the cell's result (final kNN and probe, mean hit rate and selected IoU).
 * The run talks through a wrapped output: its JSON events carry the cell id, its own result line
 * becomes a `cellRun` event, and it never prints the temporary checkpoint's path.
 * Must not import: worker/, ui/, gpu/ (trainingRun.ts brings the backend).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunHistory } from '../core/run/runHistory';
import { readCheckpointHead } from './checkpointIo';
import { EXIT_INTERRUPTED } from './cliError';
import { evaluationRows } from './evaluationRecords';
import type { CliOutput } from './output';
import type { CellResult } from './sweepFile';
import type { SweepCell } from './sweepSpec';
import type { BackendPreference } from './backend';
import { runTraining, type SignalHooks } from './trainingRun';

/** How a cell ended: its result, or interrupted (Ctrl-C; nothing to record). */
export type CellOutcome = { kind: 'done'; result: CellResult } | { kind: 'interrupted' };

const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/**
 * The cell's measures from its run history (see CellResult for each). The means average the logged
 * steps that ran a selection (isSelectionStep); a run with HVP off never selects, so its selected
 * IoU (of its one, random pair) averages every logged step and its hit rate is null (one pair is
 * always the lowest-IoU pair).
 */
export function summariseHistory(history: RunHistory): Pick<CellResult, 'knnTop1' | 'linearProbeTop1' | 'meanLowestIouHitRate' | 'meanSelectedIou' | 'numLoggedSteps'> {
  const last = evaluationRows(history).at(-1);
  const selecting = history.metrics.filter((m) => m.isSelectionStep);
  const window = selecting.length ? selecting : history.metrics;
  return {
    knnTop1: last?.knnTop1 ?? null,
    linearProbeTop1: last?.linearProbeTop1 ?? null,
    meanLowestIouHitRate: selecting.length ? mean(selecting.map((m) => m.lowestIouHitRate)) : null,
    meanSelectedIou: mean(window.map((m) => m.selectedIou)),
    numLoggedSteps: window.length,
  };
}

/** `out` for a cell's run: events tagged with the cell, the run's result as an event, no 'saved' events. */
function cellOutput(out: CliOutput, cellId: string): CliOutput {
  return {
    ...out,
    event: (json) => {
      if (json.type !== 'saved') out.event({ ...json, cell: cellId });
    },
    result: (_text, json) => out.event({ ...json, type: 'cellRun', cell: cellId }),
  };
}

/** Runs one cell to its target step. Throws CliError when its training fails. */
export async function runCell(out: CliOutput, cell: SweepCell, backend: BackendPreference, signals: SignalHooks): Promise<CellOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'hvp-sweep-'));
  const checkpointPath = join(dir, 'cell.safetensors');
  const startedAt = performance.now();
  try {
    const code = await runTraining(cellOutput(out, cell.id), { config: cell.config, checkpoint: null, targetStep: cell.targetStep, outPath: checkpointPath, saveEvery: 0, backend }, signals);
    if (code === EXIT_INTERRUPTED) return { kind: 'interrupted' };
    const wallMs = performance.now() - startedAt;
    const { record } = readCheckpointHead(checkpointPath);
    return {
      kind: 'done',
      result: { id: cell.id, settings: cell.settings, step: record.progress.step, ...summariseHistory(record.history), wallMs: Math.round(wallMs), backend: record.backend, finishedAt: new Date().toISOString() },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Twin-run metrics → CSV and JSON. CSV: one row per logged step with both twins side by side
 * (`off_*` / `on_*` columns), evaluations merged in by step (empty cells elsewhere); JSON: the
 * config (seed included), both twins' HVP modes, the summary table and every kept record.
 * Must not import: React, zustand, recharts, tfjs.
 */
import type { RunConfig } from '../../core/config/runConfig';
import { TWIN_ARMS, twinOnMode } from '../../core/config/twinConfig';
import type { TwinEvalRow, TwinStepRow } from '../../core/run/twinRecords';
import { toCsv } from './metricsCsv';

/** Format tag and version of the exported JSON document. */
export const TWIN_JSON_FORMAT = 'hvp-playground-twin-metrics';
export const TWIN_JSON_VERSION = 1;

const STEP_FIELDS = ['loss', 'stepMs', 'selectedIou', 'learningRate'] as const;
const EVAL_FIELDS = ['knnTop1', 'linearProbeTop1'] as const;

/** CSV columns, in order. */
export const TWIN_CSV_COLUMNS: readonly string[] = [
  'step',
  ...STEP_FIELDS.flatMap((f) => TWIN_ARMS.map((a) => `${a}_${f}`)),
  ...EVAL_FIELDS.flatMap((f) => TWIN_ARMS.map((a) => `${a}_${f}`)),
];

/** CSV of both twins' step records with their evaluations merged in by step. */
export function twinToCsv(rows: readonly TwinStepRow[], evals: readonly TwinEvalRow[]): string {
  const byStep = new Map<number, Record<string, unknown>>();
  const at = (step: number) => {
    let r = byStep.get(step);
    if (!r) byStep.set(step, (r = { step }));
    return r;
  };
  for (const row of rows) for (const a of TWIN_ARMS) for (const f of STEP_FIELDS) at(row.step)[`${a}_${f}`] = row[a][f];
  for (const e of evals) for (const a of TWIN_ARMS) for (const f of EVAL_FIELDS) at(e.step)[`${a}_${f}`] = e[a][f];
  return toCsv(TWIN_CSV_COLUMNS, [...byStep.values()].sort((x, y) => (x.step as number) - (y.step as number)));
}

/** What the JSON export holds besides the records. */
export interface TwinExportInput {
  config: RunConfig;
  phase: string;
  step: number;
  targetStep: number;
  rows: readonly TwinStepRow[];
  evals: readonly TwinEvalRow[];
  /** The summary table as the panel shows it. */
  summary: unknown;
  exportedAt: string;
}

/** Pretty-printed JSON document (non-finite numbers as "NaN" / "Infinity" strings). */
export function twinToJson(input: TwinExportInput): string {
  const doc = {
    format: TWIN_JSON_FORMAT,
    version: TWIN_JSON_VERSION,
    exportedAt: input.exportedAt,
    seed: input.config.seed,
    hvpModes: { off: 'off', on: twinOnMode(input.config) },
    phase: input.phase,
    step: input.step,
    targetStep: input.targetStep,
    config: { ...input.config },
    summary: input.summary,
    steps: [...input.rows],
    evaluations: [...input.evals],
  };
  return JSON.stringify(doc, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2) + '\n';
}

/** File name (without extension): method, the on-twin's mode, N, seed and step. */
export function twinFileBase(config: Pick<RunConfig, 'method' | 'hvpMode' | 'numViews' | 'seed'>, step: number): string {
  return `hvp-twin-${config.method}-off-vs-${twinOnMode(config)}-N${config.numViews}-seed${config.seed}-step${step}`;
}

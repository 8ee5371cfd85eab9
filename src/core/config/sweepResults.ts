/**
 * The results file of `npm run cli -- sweep` (JSON, written by src/cli/sweepFile.ts): its types, and
 * a reader for an untrusted copy of it (the Sweeps panel loads one a user picked). The reader checks
 * the size before the text is read, then the JSON, the format and version, and every field the panel
 * uses — types, ranges (accuracies and IoUs in 0–1, counts non-negative integers, every number
 * finite), the cells' settings against the spec's grid, unique cell ids — and answers either the
 * file or one message saying what is wrong and what to do. It never throws on bad input.
 * Here (core/config) because a sweep is a grid of run configs and the UI may import core/config.
 * Must not import: tfjs, node:, DOM, React.
 */
import { HVP_MODES, type HvpMode, type RunConfig } from './runConfig';
import { describeValue, quoteText, shortText } from './valueText';

/** Identifies the file format. */
export const SWEEP_FORMAT = 'hvp-playground-sweep';
export const SWEEP_FORMAT_VERSION = 1;
/** Largest results file read (a sweep of thousands of cells is a few MB). */
export const MAX_SWEEP_FILE_BYTES = 64 << 20;

/** A value a grid key takes (validated and parsed: numbers are numbers). */
export type SettingValue = RunConfig[keyof RunConfig];

/** One swept setting and its values. */
export interface GridAxis {
  key: keyof RunConfig;
  values: SettingValue[];
}

/** What a sweep runs; stored in its results file, so a rerun can tell whether it is the same sweep. */
export interface SweepSpec {
  grid: GridAxis[];
  seeds: number[];
  /** ['off', the mode HVP runs with]. */
  hvpModes: HvpMode[];
  /** --steps (absolute step each run stops at, capped at its totalSteps), or null for totalSteps. */
  steps: number | null;
  /** The base settings every cell starts from (defaults ← --config ← --set). */
  base: RunConfig;
}

/** What one finished cell measured. */
export interface CellResult {
  /** The cell id, e.g. `numViews=4 seed=1 hvpMode=hard`. */
  id: string;
  /** Grid values, seed and hvpMode. */
  settings: Record<string, unknown>;
  /** The step the run reached. */
  step: number;
  /** Weighted kNN top-1 (fraction 0–1) on the held-out split at the last evaluation (the run's end), or null. */
  knnTop1: number | null;
  /** Online linear-probe top-1 (fraction 0–1) at the same evaluation, or null (unlabelled set). */
  linearProbeTop1: number | null;
  /** lowestIouHitRate (fraction 0–1) averaged over the logged selection steps; null with HVP off. */
  meanLowestIouHitRate: number | null;
  /** selectedIou (0–1) averaged over the logged selection steps (HVP off: every logged step). */
  meanSelectedIou: number | null;
  /** How many logged steps the means average. */
  numLoggedSteps: number;
  /** Wall-clock milliseconds of the whole cell: backend, dataset, training and evaluation. */
  wallMs: number;
  /** The engine it ran on (cpu, wasm, webgpu). */
  backend: string;
  /** ISO time the cell finished. */
  finishedAt: string;
}

/** The JSON file. */
export interface SweepFile {
  format: typeof SWEEP_FORMAT;
  version: number;
  /** Says what meanLowestIouHitRate and meanSelectedIou average. */
  averagedOver: string;
  /** Cells the sweep has in all (finished or not). */
  numCells: number;
  spec: SweepSpec;
  /** The finished cells, in run order. */
  cells: CellResult[];
}

/** A cell as read by parseSweepResults: its settings hold exactly the grid keys, seed and hvpMode. */
export interface SweepCellRecord extends CellResult {
  settings: Record<string, SettingValue>;
}

/** A checked results file. */
export interface SweepResults extends SweepFile {
  cells: SweepCellRecord[];
}

/** The reader's answer: the file, or what is wrong (`problem`) and what to do (`hint`). */
export type SweepReadResult = { ok: true; results: SweepResults } | { ok: false; problem: string; hint: string };

const MAKE_FILE = 'Run `npm run cli -- sweep --grid cropScaleMin=0.2,0.5 --out f.json` and load f.json (not the .csv).';
const REWRITE = 'Load the file `sweep` wrote, unedited; rerunning the same sweep command rewrites it.';
/** Names of settings: letters, digits and _, starting with a letter (also rules out __proto__). */
const KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** A refusal; thrown inside the reader and turned into its answer. */
class SweepFileProblem extends Error {
  constructor(message: string, readonly hint: string = REWRITE) {
    super(message);
  }
}

const fail = (message: string, hint?: string): never => {
  throw new SweepFileProblem(message, hint);
};
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: Record<string, unknown>, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** A finite number ≥ min (and ≤ max), integer when asked; refuses naming `what`. */
function numberField(v: unknown, what: string, opts: { min?: number; max?: number; isInteger?: boolean } = {}): number {
  const { min = -Infinity, max = Infinity, isInteger = false } = opts;
  const range = max === Infinity ? (min === 0 ? (isInteger ? 'a whole number ≥ 0' : 'a number ≥ 0') : isInteger ? 'a whole number' : 'a finite number') : `a number from ${min} to ${max}`;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (isInteger && !Number.isInteger(v))) {
    fail(`${what} is ${v === undefined ? 'missing' : describeValue(v)}; it must be ${range}.`);
  }
  return v as number;
}
const fractionOrNull = (v: unknown, what: string): number | null => (v === null ? null : numberField(v, `${what} (or null)`, { min: 0, max: 1 }));
function stringField(v: unknown, what: string): string {
  if (typeof v !== 'string') fail(`${what} is ${v === undefined ? 'missing' : describeValue(v)}; it must be a text.`);
  return v as string;
}
function settingValue(v: unknown, what: string): SettingValue {
  if (typeof v === 'string' || typeof v === 'boolean') return v as SettingValue;
  return numberField(v, `${what} (a setting value: number, text or true/false)`) as SettingValue;
}
const isHvpMode = (v: unknown): v is HvpMode => typeof v === 'string' && (HVP_MODES as readonly string[]).includes(v);
const sameValue = (a: unknown, b: unknown) => a === b;

/** The spec: grid axes (identifier keys, distinct non-empty values), seeds, HVP modes, steps, base. */
function readSpec(raw: unknown): SweepSpec {
  if (!isRecord(raw)) fail(`Its "spec" is ${raw === undefined ? 'missing' : describeValue(raw)}; it must be an object (grid, seeds, hvpModes, steps, base).`);
  const spec = raw as Record<string, unknown>;
  if (!Array.isArray(spec.grid)) fail(`Its spec.grid is ${spec.grid === undefined ? 'missing' : describeValue(spec.grid)}; it must be a list of {key, values}.`);
  const grid: GridAxis[] = (spec.grid as unknown[]).map((a, i) => {
    const where = `spec.grid[${i}]`;
    if (!isRecord(a)) return fail(`${where} is ${describeValue(a)}; it must be {key, values}.`);
    const key = stringField(a.key, `${where}.key`);
    if (!KEY_PATTERN.test(key)) fail(`${where}.key ${quoteText(key)} is not a setting name.`);
    if (key === 'seed' || key === 'hvpMode') fail(`${where}.key is ${key}, which a sweep sets itself and never grids.`);
    if (!Array.isArray(a.values) || a.values.length === 0) fail(`${where}.values (${key}) is ${a.values === undefined ? 'missing' : describeValue(a.values)}; it must be a non-empty list.`);
    const values = (a.values as unknown[]).map((v, j) => settingValue(v, `${where}.values[${j}] (${key})`));
    if (new Set(values).size !== values.length) fail(`${where}.values lists a value of ${key} twice.`);
    return { key: key as keyof RunConfig, values };
  });
  if (new Set(grid.map((a) => a.key)).size !== grid.length) fail('Its spec.grid names a setting twice.');
  if (!Array.isArray(spec.seeds) || spec.seeds.length === 0) fail(`Its spec.seeds is ${spec.seeds === undefined ? 'missing' : describeValue(spec.seeds)}; it must be a non-empty list of seeds.`);
  const seeds = (spec.seeds as unknown[]).map((s, i) => numberField(s, `spec.seeds[${i}]`, { min: 0, isInteger: true }));
  if (new Set(seeds).size !== seeds.length) fail('Its spec.seeds lists a seed twice.');
  if (!Array.isArray(spec.hvpModes) || spec.hvpModes.length === 0) fail(`Its spec.hvpModes is ${spec.hvpModes === undefined ? 'missing' : describeValue(spec.hvpModes)}; it must be a list such as ["off", "hard"].`);
  const hvpModes = (spec.hvpModes as unknown[]).map((m, i) => (isHvpMode(m) ? m : fail(`spec.hvpModes[${i}] is ${describeValue(m)}; it must be one of ${HVP_MODES.join(', ')}.`)));
  if (new Set(hvpModes).size !== hvpModes.length) fail('Its spec.hvpModes lists a mode twice.');
  const steps = spec.steps === null ? null : numberField(spec.steps, 'spec.steps (or null)', { min: 1, isInteger: true });
  if (!isRecord(spec.base)) fail(`Its spec.base is ${spec.base === undefined ? 'missing' : describeValue(spec.base)}; it must be the base run settings (an object).`);
  return { grid, seeds, hvpModes, steps, base: spec.base as unknown as RunConfig };
}

/** One cell: the measures in range, and settings with every grid key (a value of its axis), a seed of
 * the spec and one of its HVP modes. */
function readCell(raw: unknown, index: number, spec: SweepSpec): SweepCellRecord {
  const at = `cells[${index}]`;
  if (!isRecord(raw)) return fail(`${at} is ${describeValue(raw)}; it must be an object.`);
  const id = stringField(raw.id, `${at}.id`);
  const where = `${at} (${quoteText(id)})`;
  if (!isRecord(raw.settings)) fail(`${where}.settings is ${raw.settings === undefined ? 'missing' : describeValue(raw.settings)}; it must be an object of grid values, seed and hvpMode.`);
  const s = raw.settings as Record<string, unknown>;
  const settings: Record<string, SettingValue> = {};
  for (const axis of spec.grid) {
    if (!has(s, axis.key)) fail(`${where}.settings has no ${axis.key}, a key of the sweep's grid.`);
    const v = settingValue(s[axis.key], `${where}.settings.${axis.key}`);
    if (!axis.values.some((g) => sameValue(g, v))) fail(`${where}.settings.${axis.key} is ${describeValue(v)}, not one of the grid's values (${shortText(axis.values.map(String).join(', '), 80)}).`);
    settings[axis.key] = v;
  }
  const seed = numberField(has(s, 'seed') ? s.seed : undefined, `${where}.settings.seed`, { min: 0, isInteger: true });
  if (!spec.seeds.includes(seed)) fail(`${where}.settings.seed is ${seed}, not one of the sweep's seeds (${shortText(spec.seeds.join(', '), 80)}).`);
  const hvpMode = has(s, 'hvpMode') ? s.hvpMode : undefined;
  if (!isHvpMode(hvpMode) || !spec.hvpModes.includes(hvpMode)) fail(`${where}.settings.hvpMode is ${hvpMode === undefined ? 'missing' : describeValue(hvpMode)}; it must be one of the sweep's modes (${spec.hvpModes.join(', ')}).`);
  settings.seed = seed;
  settings.hvpMode = hvpMode as HvpMode;
  return {
    id,
    settings,
    step: numberField(raw.step, `${where}.step`, { min: 0, isInteger: true }),
    knnTop1: fractionOrNull(raw.knnTop1, `${where}.knnTop1`),
    linearProbeTop1: fractionOrNull(raw.linearProbeTop1, `${where}.linearProbeTop1`),
    meanLowestIouHitRate: fractionOrNull(raw.meanLowestIouHitRate, `${where}.meanLowestIouHitRate`),
    meanSelectedIou: fractionOrNull(raw.meanSelectedIou, `${where}.meanSelectedIou`),
    numLoggedSteps: numberField(raw.numLoggedSteps, `${where}.numLoggedSteps`, { min: 0, isInteger: true }),
    wallMs: numberField(raw.wallMs, `${where}.wallMs`, { min: 0 }),
    backend: stringField(raw.backend, `${where}.backend`),
    finishedAt: stringField(raw.finishedAt, `${where}.finishedAt`),
  };
}

/** A file of `byteLength` bytes is too large (or empty) to read: the message, or null when it may be read. */
export function sweepFileSizeProblem(byteLength: number, name: string): { problem: string; hint: string } | null {
  if (byteLength > MAX_SWEEP_FILE_BYTES) {
    return { problem: `${quoteText(name)} is ${(byteLength / 2 ** 20).toFixed(1)} MiB; a sweep results file is at most ${MAX_SWEEP_FILE_BYTES / 2 ** 20} MiB (thousands of cells are a few MB).`, hint: `Pick the JSON that \`sweep --out\` wrote. ${MAKE_FILE}` };
  }
  if (byteLength === 0) return { problem: `${quoteText(name)} is empty.`, hint: MAKE_FILE };
  return null;
}

/**
 * Reads the text of a sweep results file (any input: never throws). `name` names it in messages.
 */
export function parseSweepResults(text: string, name: string): SweepReadResult {
  const size = sweepFileSizeProblem(text.length, name); // characters ≤ bytes: a cheap second guard
  if (size) return { ok: false, ...size };
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, problem: `${quoteText(name)} is not JSON (${shortText(why, 120)}), so it is not a sweep results file.`, hint: MAKE_FILE };
  }
  try {
    if (!isRecord(json) || json.format !== SWEEP_FORMAT) {
      const what = isRecord(json) ? (has(json, 'format') ? `its format is ${describeValue(json.format)}` : 'it has no "format" field') : `it holds ${describeValue(json)}`;
      fail(`${quoteText(name)} is not a sweep results file: ${what}, not "${SWEEP_FORMAT}".`, MAKE_FILE);
    }
    const file = json as Record<string, unknown>;
    if (file.version !== SWEEP_FORMAT_VERSION) {
      fail(`${quoteText(name)} is a sweep results file of version ${describeValue(file.version)}; this app reads version ${SWEEP_FORMAT_VERSION}.`, 'Rerun the sweep with the CLI of this version of the app (`npm run cli -- sweep … --out f.json`) and load its file.');
    }
    const averagedOver = stringField(file.averagedOver, 'Its "averagedOver"');
    const numCells = numberField(file.numCells, 'Its "numCells"', { min: 0, isInteger: true });
    const spec = readSpec(file.spec);
    if (!Array.isArray(file.cells)) fail(`Its "cells" is ${file.cells === undefined ? 'missing' : describeValue(file.cells)}; it must be a list of finished cells.`);
    const rawCells = file.cells as unknown[];
    if (rawCells.length > numCells) fail(`It holds ${rawCells.length} cells, more than the ${numCells} its "numCells" says the sweep has.`);
    const cells = rawCells.map((c, i) => readCell(c, i, spec));
    const firstOf = new Map<string, number>();
    cells.forEach((c, i) => {
      const j = firstOf.get(c.id);
      if (j !== undefined) fail(`cells[${i}] repeats the id ${quoteText(c.id)} of cells[${j}]; each cell is run once.`);
      firstOf.set(c.id, i);
    });
    return { ok: true, results: { format: SWEEP_FORMAT, version: SWEEP_FORMAT_VERSION, averagedOver, numCells, spec, cells } };
  } catch (e) {
    if (e instanceof SweepFileProblem) {
      const named = e.message.startsWith(quoteText(name)) ? e.message : `${quoteText(name)}: ${e.message.replace(/^Its /, 'its ')}`;
      return { ok: false, problem: named, hint: e.hint };
    }
    return { ok: false, problem: `${quoteText(name)} could not be read (${shortText(e instanceof Error ? e.message : String(e), 120)}).`, hint: REWRITE };
  }
}

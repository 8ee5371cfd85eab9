/**
 * The results file of `sweep` (JSON) and its CSV twin: the spec the sweep ran (sweepSpec.ts) and one
 * record per finished cell. Both are rewritten atomically (atomicWrite.ts) after every cell, so a
 * crash or Ctrl-C leaves the last consistent pair. A rerun reads the JSON back, refuses it when its
 * spec differs from the command's (naming the first difference), and skips the cells it holds.
 * Must not import: tfjs, gpu/, worker/, ui/.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { shortText } from '../core/config/valueText';
import { writeFileAtomic } from './atomicWrite';
import { CliError, UsageError } from './cliError';
import { MAX_SWEEP_FILE_BYTES, SWEEP_FORMAT, SWEEP_FORMAT_VERSION, type CellResult, type SweepFile, type SweepSpec } from '../core/config/sweepResults';

/** The format, its version and the file's types live with its reader (core/config/sweepResults.ts). */
export { SWEEP_FORMAT, SWEEP_FORMAT_VERSION };
export type { CellResult, SweepFile };

/** What the means average; stored in the file. */
export const AVERAGE_WINDOW = 'the logged steps (every logEvery steps and the last) that ran an HVP selection, over the whole run; HVP off selects nowhere: its selected IoU (of its one random pair) averages every logged step and its hit rate is null';

/** The CSV path for `--out`: --csv, or --out with .json replaced by (or followed by) .csv. */
export const csvPathFor = (outPath: string, csv: string | undefined): string => csv ?? (outPath.toLowerCase().endsWith('.json') ? `${outPath.slice(0, -5)}.csv` : `${outPath}.csv`);

/** The first difference between two JSON values, as `path: was A, now B`, or null when equal. */
function firstDifference(was: unknown, now: unknown, path: string): string | null {
  if (typeof was === 'object' && was !== null && typeof now === 'object' && now !== null) {
    const keys = [...new Set([...Object.keys(was), ...Object.keys(now)])];
    for (const k of keys) {
      const d = firstDifference((was as Record<string, unknown>)[k], (now as Record<string, unknown>)[k], Array.isArray(was) ? `${path}[${k}]` : `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  if (was === now) return null;
  const show = (v: unknown) => (v === undefined ? 'absent' : shortText(JSON.stringify(v)));
  return `${path}: the file has ${show(was)}, this command ${show(now)}`;
}

/**
 * The finished cells of an earlier run of the same sweep at `path`, or [] when there is no file.
 * Throws UsageError (exit 2) when the file is not a sweep file or its spec differs from `spec`.
 */
export function readPreviousCells(path: string, spec: SweepSpec): CellResult[] {
  if (!existsSync(path)) return [];
  const st = statSync(path);
  if (!st.isFile()) throw new UsageError(`--out ${path} is not a regular file.`, 'Name a JSON file, e.g. --out sweep.json.');
  if (st.size > MAX_SWEEP_FILE_BYTES) throw new UsageError(`${path} is ${st.size} bytes, too large for a sweep results file.`, 'Choose another --out.');
  let file: Partial<SweepFile>;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as Partial<SweepFile>;
  } catch (e) {
    throw new UsageError(`${path} exists and is not a sweep results file (${shortText(e instanceof Error ? e.message : String(e), 120)}).`, 'Choose another --out, or remove the file.');
  }
  if (typeof file !== 'object' || file === null || file.format !== SWEEP_FORMAT || !Array.isArray(file.cells)) {
    throw new UsageError(`${path} exists and is not a sweep results file.`, 'Choose another --out, or remove the file.');
  }
  if (file.version !== SWEEP_FORMAT_VERSION) throw new UsageError(`${path} is a sweep file of version ${String(file.version)}; this CLI writes version ${SWEEP_FORMAT_VERSION}.`, 'Choose another --out.');
  const diff = firstDifference(file.spec, JSON.parse(JSON.stringify(spec)), 'spec');
  if (diff) throw new UsageError(`${path} holds another sweep, so it cannot be continued: ${diff}.`, 'Run the same command as before to continue it, or choose another --out (or remove the file) to start this sweep.');
  return file.cells.filter((c): c is CellResult => typeof c === 'object' && c !== null && typeof (c as CellResult).id === 'string');
}

/** One CSV field: quoted when it holds a comma, quote or line break. */
const csvField = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The CSV text: a header line, then one line per cell (grid keys, seed, hvpMode, then the measures). */
export function sweepCsv(spec: SweepSpec, cells: readonly CellResult[]): string {
  const settingKeys = [...spec.grid.map((a) => a.key as string), 'seed', 'hvpMode'];
  const measures = ['step', 'knnTop1', 'linearProbeTop1', 'meanLowestIouHitRate', 'meanSelectedIou', 'numLoggedSteps', 'wallMs', 'backend', 'finishedAt'] as const;
  const lines = [[...settingKeys, ...measures].join(',')];
  for (const c of cells) lines.push([...settingKeys.map((k) => c.settings[k]), ...measures.map((m) => c[m])].map(csvField).join(','));
  return `${lines.join('\n')}\n`;
}

/** Writes the JSON and the CSV atomically (JSON first: it is what a rerun reads). Throws CliError naming the path. */
export function writeSweepFiles(outPath: string, csvPath: string, spec: SweepSpec, numCells: number, cells: readonly CellResult[]): void {
  const file: SweepFile = { format: SWEEP_FORMAT, version: SWEEP_FORMAT_VERSION, averagedOver: AVERAGE_WINDOW, numCells, spec, cells: [...cells] };
  const enc = new TextEncoder();
  writeFileAtomic(outPath, enc.encode(`${JSON.stringify(file, null, 1)}\n`));
  try {
    writeFileAtomic(csvPath, enc.encode(sweepCsv(spec, cells)));
  } catch (e) {
    if (e instanceof CliError) throw new CliError(`${e.message} (${outPath} is written; the CSV is rebuilt from it on the next run)`, e.hint);
    throw e;
  }
}

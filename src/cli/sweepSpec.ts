/**
 * What `sweep` runs: the grid (`--grid key=v1,v2,…`, repeatable), the seeds (`--seeds 0,1,2`) and the
 * two HVP modes (off, and the base config's mode — 'hard' when the base says off), expanded into
 * cells in a fixed order (first grid key outermost, then seeds, then off before on). Every grid value
 * and seed is validated by the config schema on top of the base settings (defaults ← --config ←
 * --set, configInput.ts), and every cell's whole config again, so a bad key or value is a UsageError
 * (exit 2) before anything trains.
 * Must not import: tfjs, gpu/, worker/, ui/.
 */
import type { HvpMode, RunConfig } from '../core/config/runConfig';
import { CONFIG_SCHEMA, validateConfig } from '../core/config/schema';
import { quoteText, shortText } from '../core/config/valueText';
import type { GridAxis, SweepSpec } from '../core/config/sweepResults';
import { UsageError } from './cliError';
import { buildRunConfig } from './configInput';

type RawConfig = Partial<Record<keyof RunConfig, unknown>>;
type SettingValue = RunConfig[keyof RunConfig];

/** The grid and spec types live with the results file's reader (core/config/sweepResults.ts). */
export type { GridAxis, SweepSpec };

/** One run of the sweep. */
export interface SweepCell {
  /** Stable identity within a spec, e.g. `numViews=4 seed=1 hvpMode=hard`. */
  id: string;
  /** The grid values, seed and hvpMode of this cell, in grid order. */
  settings: Record<string, SettingValue>;
  config: RunConfig;
  /** The step this cell's run stops at. */
  targetStep: number;
}

/** Keys the sweep sets itself, so they cannot be gridded. */
const OWN_KEYS: readonly string[] = ['seed', 'hvpMode', 'dataset'];
const SETTINGS_HINT = 'Run `npm run cli -- help settings` for every key with its default and range.';
const isKey = (k: string): k is keyof RunConfig => CONFIG_SCHEMA.some((f) => f.key === k);

/** The mode HVP runs with: the base's, or 'hard' when the base has HVP off. */
export const hvpOnMode = (base: RunConfig): HvpMode => (base.hvpMode === 'off' ? 'hard' : base.hvpMode);

/** Splits `a,b,c` into trimmed, non-empty items. */
function splitValues(text: string, what: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.length === 0 || items.some((s) => s === '')) throw new UsageError(`${what}: empty value in ${quoteText(text)}.`, 'Separate values with commas, e.g. --grid numViews=2,4,8.');
  return items;
}

/** A value validated on top of `base`; UsageError naming `what` on any issue. */
function checkValue(base: RunConfig, key: keyof RunConfig, raw: string, what: string): SettingValue {
  const { config, issues } = validateConfig({ [key]: raw } as RawConfig, base);
  if (issues.length) throw new UsageError(`${what}: ${issues.map((i) => i.message).join(' ')}`, SETTINGS_HINT);
  return config[key];
}

/** The grid axes of `--grid` arguments, each value validated on top of `base`. */
export function parseGrid(args: readonly string[], base: RunConfig): GridAxis[] {
  const axes: GridAxis[] = [];
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new UsageError(`--grid ${quoteText(arg)} is not KEY=V1,V2,….`, 'Write e.g. --grid numViews=2,4,8.');
    const key = arg.slice(0, eq).trim();
    if (!isKey(key)) throw new UsageError(`--grid ${shortText(arg)}: unknown setting ${quoteText(key)}.`, SETTINGS_HINT);
    if (OWN_KEYS.includes(key)) throw new UsageError(`--grid ${key}: the sweep sets ${key} itself.`, key === 'seed' ? 'Use --seeds 0,1,2.' : key === 'hvpMode' ? 'Every cell runs with HVP off and on; choose the on-mode with --set hvpMode=hard|easy|random.' : 'A sweep runs on the built-in dataset.');
    if (axes.some((a) => a.key === key)) throw new UsageError(`--grid ${key} was given twice.`, 'List all its values in one --grid, e.g. --grid numViews=2,4,8.');
    const values = splitValues(arg.slice(eq + 1), `--grid ${key}`).map((v) => checkValue(base, key, v, `--grid ${key}=${shortText(v)}`));
    if (new Set(values).size !== values.length) throw new UsageError(`--grid ${key} lists a value twice.`, 'List each value once.');
    axes.push({ key, values });
  }
  return axes;
}

/** The seeds of `--seeds` (default: the base seed), each validated as the seed setting. */
export function parseSeeds(text: string | undefined, base: RunConfig): number[] {
  if (text === undefined) return [base.seed];
  const seeds = splitValues(text, '--seeds').map((v) => checkValue(base, 'seed', v, `--seeds ${shortText(v)}`) as number);
  if (new Set(seeds).size !== seeds.length) throw new UsageError('--seeds lists a seed twice.', 'List each seed once.');
  return seeds;
}

/** Every combination of the axes' values (first axis outermost). */
function combinations(grid: readonly GridAxis[]): Record<string, SettingValue>[] {
  let out: Record<string, SettingValue>[] = [{}];
  for (const axis of grid) out = out.flatMap((c) => axis.values.map((v) => ({ ...c, [axis.key]: v })));
  return out;
}

/** The text of a cell's settings: `numViews=4 seed=1 hvpMode=hard`. */
export const settingsText = (s: Record<string, SettingValue>): string => Object.entries(s).map(([k, v]) => `${k}=${String(v)}`).join(' ');

/**
 * The cells of `spec`, each with its config validated whole (defaults ← file ← sets ← cell), in run
 * order. Throws UsageError naming the cell when a combination breaks a cross-field rule.
 */
export function expandCells(spec: SweepSpec, file: { path: string; values: RawConfig } | null, sets: RawConfig): SweepCell[] {
  const cells: SweepCell[] = [];
  for (const combo of combinations(spec.grid)) {
    for (const seed of spec.seeds) {
      for (const hvpMode of spec.hvpModes) {
        const settings = { ...combo, seed, hvpMode };
        const id = settingsText(settings);
        let config: RunConfig;
        try {
          config = buildRunConfig(file, { ...sets, ...settings });
        } catch (e) {
          if (e instanceof UsageError) throw new UsageError(`The sweep cell ${id} is not a valid run: ${e.message}`, e.hint);
          throw e;
        }
        // A sweep reads the final kNN and probe, so a run without evaluations evaluates once, at its end.
        const targetStep = Math.min(spec.steps ?? config.totalSteps, config.totalSteps);
        if (config.knnEvery === 0) config = { ...config, knnEvery: targetStep };
        cells.push({ id, settings, config, targetStep });
      }
    }
  }
  return cells;
}

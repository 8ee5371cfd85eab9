/**
 * The run config of `train`: DEFAULT_CONFIG, then a JSON config file, then `--set key=value`
 * overrides, validated through the config schema (the browser's table). Every refused value becomes
 * a UsageError (exit 2) naming the key, where it came from, the value and the allowed range.
 * Must not import: tfjs, gpu/, worker/, ui/.
 */
import { readFileSync } from 'node:fs';
import { BUILTIN_DATASET_REF, DEFAULT_CONFIG, type RunConfig } from '../core/config/runConfig';
import { CONFIG_SCHEMA, validateConfig } from '../core/config/schema';
import { UsageError } from './cliError';

type RawConfig = Partial<Record<keyof RunConfig, unknown>>;

const SETTINGS_HINT = 'Run `npm run cli -- help settings` for every key with its default and range.';
const isKey = (k: string): k is keyof RunConfig => CONFIG_SCHEMA.some((f) => f.key === k);

/** Settings of a JSON config file (an object of key → value). Throws UsageError naming the file. */
export function readConfigFile(path: string, read: (p: string) => string = (p) => readFileSync(p, 'utf8')): RawConfig {
  let text: string;
  try {
    text = read(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${e instanceof Error ? e.message : String(e)})`;
    throw new UsageError(`The config file ${path} ${why}.`, 'Check the --config path.');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`The config file ${path} is not valid JSON (${e instanceof Error ? e.message : String(e)}).`, 'Fix the file: it must be one JSON object such as {"batchSize": 32, "hvpMode": "off"}.');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UsageError(`The config file ${path} holds ${Array.isArray(raw) ? 'an array' : JSON.stringify(raw)}, not an object of settings.`, 'Write one JSON object such as {"batchSize": 32, "hvpMode": "off"}.');
  }
  const unknown = Object.keys(raw).filter((k) => !isKey(k));
  if (unknown.length) throw new UsageError(`The config file ${path} has unknown setting(s): ${unknown.map((k) => `"${k}"`).join(', ')}.`, SETTINGS_HINT);
  return raw as RawConfig;
}

/** `key=value` pairs of --set, in order (a later pair of the same key wins). */
export function parseSets(pairs: readonly string[]): RawConfig {
  const out: RawConfig = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set "${pair}" is not KEY=VALUE.`, 'Write e.g. --set batchSize=32.');
    const key = pair.slice(0, eq).trim();
    if (!isKey(key)) throw new UsageError(`--set ${pair}: unknown setting "${key}".`, SETTINGS_HINT);
    out[key] = pair.slice(eq + 1).trim();
  }
  return out;
}

/**
 * Defaults ← file ← sets, validated. Throws UsageError listing every refused value as
 * `key=value (from …): <schema message with the range>`.
 */
export function buildRunConfig(file: { path: string; values: RawConfig } | null, sets: RawConfig): RunConfig {
  const merged: RawConfig = { ...(file?.values ?? {}), ...sets };
  const { config, issues } = validateConfig(merged, DEFAULT_CONFIG);
  if (issues.length) {
    const origin = (k: string) => (k in sets ? '--set' : file && k in file.values ? file.path : 'the defaults');
    const lines = issues.map((i) => (i.key === 'config' ? i.message : `${i.key}=${String(merged[i.key] ?? config[i.key])} (from ${origin(i.key)}): ${i.message}`));
    throw new UsageError(`Invalid setting${issues.length > 1 ? 's' : ''}: ${lines.join(' ')}`, SETTINGS_HINT);
  }
  if (config.dataset !== BUILTIN_DATASET_REF) {
    throw new UsageError(`dataset=${config.dataset}: the CLI names a run's imported set itself, from the files given with --data.`, 'Drop --set dataset and pass the files: --data cifar-10-binary.tar.gz (or IDX files, an image folder, a .zip).');
  }
  return config;
}

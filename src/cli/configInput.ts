/**
 * The run config of `train`: DEFAULT_CONFIG, then a JSON config file, then `--set key=value`
 * overrides, validated through the config schema (the browser's table). Every refused value becomes
 * a UsageError (exit 2) naming the key, where it came from, the value and the allowed range.
 * Whatever a file or an argument holds, messages echo at most a shortened value (core/config/valueText)
 * and list a bounded number of problems; a config file is read only when it is a regular file of at
 * most 1 MiB.
 * Must not import: tfjs, gpu/, worker/, ui/.
 */
import { readFileSync, statSync } from 'node:fs';
import { BUILTIN_DATASET_REF, DEFAULT_CONFIG, type RunConfig } from '../core/config/runConfig';
import { CONFIG_SCHEMA, validateConfig } from '../core/config/schema';
import { describeValue, quoteText, shortText } from '../core/config/valueText';
import { UsageError } from './cliError';

type RawConfig = Partial<Record<keyof RunConfig, unknown>>;

const SETTINGS_HINT = 'Run `npm run cli -- help settings` for every key with its default and range.';
const isKey = (k: string): k is keyof RunConfig => CONFIG_SCHEMA.some((f) => f.key === k);

/** Largest config file read, in bytes (a real one is a few KB). */
export const MAX_CONFIG_FILE_BYTES = 1 << 20;
/** Most refused values or unknown keys spelled out in one message; the rest are counted. */
const MAX_LISTED = 8;

/** The text of a config file, refusing anything but a regular file of at most MAX_CONFIG_FILE_BYTES
 * before reading it (so /dev/zero, a FIFO or a huge file cannot hang or fill memory). */
function readSettingsFile(path: string): string {
  const st = statSync(path);
  if (st.isDirectory()) throw Object.assign(new Error(`${path} is a directory`), { code: 'EISDIR' });
  if (!st.isFile()) throw new UsageError(`The config file ${path} is not a regular file.`, 'Pass a JSON file saved on disk.');
  if (st.size > MAX_CONFIG_FILE_BYTES) throw new UsageError(`The config file ${path} is ${st.size} bytes; a config file is at most ${MAX_CONFIG_FILE_BYTES} bytes (1 MiB).`, 'Check the --config path: it must be a small JSON object of settings.');
  return readFileSync(path, 'utf8');
}

/** `a, b, c and 4 more` for a list of already-short items. */
const listed = (items: readonly string[], sep: string): string =>
  `${items.slice(0, MAX_LISTED).join(sep)}${items.length > MAX_LISTED ? `${sep}…and ${items.length - MAX_LISTED} more` : ''}`;

/** Settings of a JSON config file (an object of key → value). Throws UsageError naming the file. */
export function readConfigFile(path: string, read: (p: string) => string = readSettingsFile): RawConfig {
  let text: string;
  try {
    text = read(path);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${shortText(e instanceof Error ? e.message : describeValue(e), 200)})`;
    throw new UsageError(`The config file ${path} ${why}.`, 'Check the --config path.');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`The config file ${path} is not valid JSON (${shortText(e instanceof Error ? e.message : describeValue(e), 200)}).`, 'Fix the file: it must be one JSON object such as {"batchSize": 32, "hvpMode": "off"}.');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UsageError(`The config file ${path} holds ${describeValue(raw)}, not an object of settings.`, 'Write one JSON object such as {"batchSize": 32, "hvpMode": "off"}.');
  }
  const unknown = Object.keys(raw).filter((k) => !isKey(k));
  if (unknown.length) throw new UsageError(`The config file ${path} has unknown setting(s): ${listed(unknown.map((k) => quoteText(k)), ', ')}.`, SETTINGS_HINT);
  return raw as RawConfig;
}

/** `key=value` pairs of --set, in order (a later pair of the same key wins). */
export function parseSets(pairs: readonly string[]): RawConfig {
  const out: RawConfig = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set ${quoteText(pair)} is not KEY=VALUE.`, 'Write e.g. --set batchSize=32.');
    const key = pair.slice(0, eq).trim();
    if (!isKey(key)) throw new UsageError(`--set ${shortText(pair)}: unknown setting ${quoteText(key)}.`, SETTINGS_HINT);
    out[key] = pair.slice(eq + 1).trim();
  }
  return out;
}

/** A raw setting as `key=<this>` shows it: a string as written (shortened), anything else by kind. */
const shownValue = (raw: unknown): string => (typeof raw === 'string' ? shortText(raw) : describeValue(raw));

/**
 * Defaults ← file ← sets, validated. Throws UsageError listing every refused value as
 * `key=value (from …): <schema message with the range>`.
 */
export function buildRunConfig(file: { path: string; values: RawConfig } | null, sets: RawConfig): RunConfig {
  const merged: RawConfig = { ...(file?.values ?? {}), ...sets };
  const { config, issues } = validateConfig(merged, DEFAULT_CONFIG);
  if (issues.length) {
    const origin = (k: string) => (k in sets ? '--set' : file && k in file.values ? file.path : 'the defaults');
    const lines = issues.map((i) => (i.key === 'config' ? i.message : `${i.key}=${shownValue(merged[i.key] ?? config[i.key])} (from ${origin(i.key)}): ${i.message}`));
    throw new UsageError(`Invalid setting${issues.length > 1 ? 's' : ''}: ${listed(lines, ' ')}`, SETTINGS_HINT);
  }
  if (config.dataset !== BUILTIN_DATASET_REF) {
    throw new UsageError(`dataset=${shortText(config.dataset)}: the CLI names a run's imported set itself, from the files given with --data.`, 'Drop --set dataset and pass the files: --data cifar-10-binary.tar.gz (or IDX files, an image folder, a .zip).');
  }
  return config;
}

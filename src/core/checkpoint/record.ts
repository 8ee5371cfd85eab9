/**
 * The checkpoint record: the versioned JSON stored in the safetensors metadata (key `hvp.record`)
 * beside the tensors — config, step, data-order position, generator states, dataset fingerprint,
 * metric history, app version, per-tensor checksums. `parseRecordJson` bounds the nesting before
 * parsing and `parseRecord` validates an untrusted record and says precisely what is wrong (not
 * ours, newer format, unknown method, invalid config, counters out of range: recordFields.ts,
 * history: recordHistory.ts).
 * Must not import: tfjs, DOM.
 */
import { DEFAULT_CONFIG, METHOD_NAMES, BACKBONE_NAMES, type RunConfig } from '../config/runConfig';
import { validateConfig } from '../config/schema';
import type { DatasetFingerprint } from '../data/fingerprint';
import type { RngState } from '../random';
import type { RunHistory } from '../run/runHistory';
import type { TrainerProgress } from '../state/trainerState';
import { CheckpointFormatError, fileProblem } from './checkpointFormatError';
import { jsonShape } from './jsonShape';
import { checkCrcMap, checkDataset, checkProgress, checkTensorLists, isObject, isRngState, recordDamaged } from './recordFields';
import { checkHistory } from './recordHistory';
import { dinoScoreTerms } from '../methods/dino';

export const CHECKPOINT_FORMAT = 'hvp-playground/checkpoint';
/** Version of the record layout and tensor naming; readers refuse newer versions. */
export const CHECKPOINT_VERSION = 1;
/** safetensors metadata key of the record JSON. */
export const RECORD_METADATA_KEY = 'hvp.record';
/** safetensors metadata key of the CRC-32 (decimal) of the record JSON's UTF-8 bytes; absent in older files. */
export const RECORD_CRC_METADATA_KEY = 'hvp.recordCrc32';

export interface CheckpointRecord {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  appVersion: string;
  /** ISO time of writing. */
  createdAt: string;
  config: RunConfig;
  /** Steps done, data order, view and pair streams. Epoch = progress.sampler.epoch. */
  progress: TrainerProgress;
  /** Probe-image stream of the run loop. */
  probeRng: RngState;
  dataset: DatasetFingerprint;
  history: RunHistory;
  /** Backend the checkpoint was written on ('webgpu', 'cpu', …), for information. */
  backend: string;
  /** Tensor names of each part, as in the file: model (bare), optimizer (`optimizer.` prefix). */
  tensors: { model: string[]; optimizer: string[] };
  /**
   * CRC-32 (IEEE, as zlib.crc32) of every tensor's bytes as stored in the file, by file tensor name
   * (`optimizer.` prefix and `num_batches_tracked` included). Written since checksums were added
   * (same format version: older readers ignore it); a file without it loads with a note.
   */
  tensorCrc32?: Record<string, number>;
}

/** What a reader learned besides the record: config fields filled from defaults, and so on. */
export interface ParsedRecord {
  record: CheckpointRecord;
  notes: string[];
}

/** Deepest nesting a record may have (ours: 6, a pair-statistics histogram in the history). */
export const MAX_RECORD_DEPTH = 16;
/** Most top-level fields a record may have (ours: 12). */
const MAX_RECORD_FIELDS = 100;

/** A short text field (app version, time, backend), or `fallback` when absent or not a string. */
const text = (x: unknown, fallback: string): string => (typeof x === 'string' ? x.slice(0, 200) : fallback);

/**
 * Parses the record JSON of a checkpoint: its nesting is bounded before JSON.parse (a deeply
 * nested field cannot reach a recursive validator, structuredClone or postMessage), then
 * parseRecord checks every field. Throws CheckpointFormatError naming `source` (the file name).
 */
export function parseRecordJson(json: string, source = 'checkpoint'): ParsedRecord {
  const shape = jsonShape(json, { maxDepth: MAX_RECORD_DEPTH, maxRootKeys: MAX_RECORD_FIELDS });
  if (shape.maxDepth > MAX_RECORD_DEPTH) throw fileProblem(source, 'damaged', `the run record nests deeper than ${MAX_RECORD_DEPTH} levels`);
  if (shape.numRootKeys > MAX_RECORD_FIELDS) throw fileProblem(source, 'damaged', `the run record has more than ${MAX_RECORD_FIELDS} fields`);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw fileProblem(source, 'damaged', `the run record is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return parseRecord(raw);
  } catch (e) {
    // parseRecord's messages say what is wrong with the record; the file name says which file.
    if (e instanceof CheckpointFormatError) throw new CheckpointFormatError(`${source}: ${e.message}`, e.hint);
    throw e;
  }
}

/**
 * Validates an untrusted record (parsed JSON). Throws CheckpointFormatError with a precise message.
 * The record returned is built from the checked fields only (plain data, safe to clone).
 */
export function parseRecord(raw: unknown): ParsedRecord {
  if (!isObject(raw) || raw.format !== CHECKPOINT_FORMAT) {
    throw new CheckpointFormatError(`This file is not an HVP Playground checkpoint (its metadata has no "${CHECKPOINT_FORMAT}" record). Choose a .safetensors file exported by HVP Playground or its CLI.`);
  }
  if (!Number.isSafeInteger(raw.version) || (raw.version as number) < 1) recordDamaged('the format version is missing');
  if ((raw.version as number) > CHECKPOINT_VERSION) {
    throw new CheckpointFormatError(`This checkpoint uses format version ${raw.version}, written by HVP Playground ${text(raw.appVersion, 'unknown')}; this app reads up to version ${CHECKPOINT_VERSION}. Update the app (reload the page, or pull the latest version for the CLI).`);
  }
  const notes: string[] = [];
  const cfgRaw = raw.config;
  if (!isObject(cfgRaw)) recordDamaged('the run configuration is missing');
  const cfgIn = cfgRaw as Record<string, unknown>;
  if (typeof cfgIn.method === 'string' && !(METHOD_NAMES as readonly string[]).includes(cfgIn.method)) {
    throw new CheckpointFormatError(`This checkpoint was trained with the method "${cfgIn.method.slice(0, 40)}", which this version of HVP Playground does not have (it has ${METHOD_NAMES.join(', ')}). Update the app.`);
  }
  if (typeof cfgIn.backbone === 'string' && !(BACKBONE_NAMES as readonly string[]).includes(cfgIn.backbone)) {
    throw new CheckpointFormatError(`This checkpoint uses the backbone "${cfgIn.backbone.slice(0, 40)}", which this version of HVP Playground does not have (it has ${BACKBONE_NAMES.join(', ')}). Update the app.`);
  }
  // Own keys only: `constructor` or `__proto__` are not settings.
  const isSetting = (k: string) => Object.hasOwn(DEFAULT_CONFIG, k);
  const absent = (Object.keys(DEFAULT_CONFIG) as (keyof RunConfig)[]).filter((k) => !Object.hasOwn(cfgIn, k));
  if (absent.length) notes.push(`Settings added since this checkpoint was written take their defaults: ${absent.join(', ')}.`);
  const known = Object.fromEntries(Object.entries(cfgIn).filter(([k]) => isSetting(k)));
  const unknown = Object.keys(cfgIn).filter((k) => !isSetting(k));
  if (unknown.length) notes.push(`Settings this version does not know were ignored: ${unknown.slice(0, 10).map((k) => k.slice(0, 40)).join(', ')}${unknown.length > 10 ? ', …' : ''}.`);
  const { config, issues } = validateConfig(known);
  if (issues.length) {
    throw new CheckpointFormatError(`This checkpoint's settings are not valid in this version of HVP Playground, so its run cannot be rebuilt. Export it again from the run that made it, or update the app. (Technical detail: ${issues.map((i) => i.message).join(' ')})`);
  }
  const dataset = checkDataset(raw.dataset);
  if (dataset.normalization === undefined) {
    notes.push("This checkpoint predates per-dataset normalisation: the run continues with CIFAR-10's statistics, which it was trained with.");
  }
  const progress = checkProgress(raw.progress, config.totalSteps, dataset.numTrain);
  if (!isRngState(raw.probeRng)) recordDamaged('the probe generator state is missing');
  const checked = checkHistory(raw.history, config.method === 'dino' ? dinoScoreTerms(config.numLocalViews) : 1);
  if (!checked) recordDamaged('the metric history is missing or is not a list of records');
  notes.push(...checked!.notes);
  const tensorCrc32 = checkCrcMap(raw.tensorCrc32);
  return {
    record: {
      format: CHECKPOINT_FORMAT,
      version: raw.version as number,
      appVersion: text(raw.appVersion, 'unknown'),
      createdAt: text(raw.createdAt, ''),
      config,
      progress,
      probeRng: [...(raw.probeRng as RngState)] as RngState,
      dataset,
      history: checked!.history,
      backend: text(raw.backend, 'unknown'),
      tensors: checkTensorLists(raw.tensors),
      ...(tensorCrc32 ? { tensorCrc32 } : {}),
    },
    notes,
  };
}

/**
 * The checkpoint record: the versioned JSON stored in the safetensors metadata (key `hvp.record`)
 * beside the tensors — config, step, data-order position, generator states, dataset fingerprint,
 * metric history, app version. `parseRecord` validates an untrusted record and says precisely
 * what is wrong (not ours, newer format, unknown method, invalid config, broken counters).
 * Must not import: tfjs, DOM.
 */
import { DEFAULT_CONFIG, METHOD_NAMES, BACKBONE_NAMES, type RunConfig } from '../config/runConfig';
import { validateConfig } from '../config/schema';
import type { DatasetFingerprint } from '../data/fingerprint';
import { normalizationProblem } from '../data/normalization';
import type { RngState } from '../random';
import { validEvaluations, type RunHistory } from '../train/runHistory';
import type { TrainerProgress } from '../train/trainerState';
import { CheckpointFormatError } from './checkpointFormatError';

export const CHECKPOINT_FORMAT = 'hvp-playground/checkpoint';
/** Version of the record layout and tensor naming; readers refuse newer versions. */
export const CHECKPOINT_VERSION = 1;
/** safetensors metadata key of the record JSON. */
export const RECORD_METADATA_KEY = 'hvp.record';

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
}

/** What a reader learned besides the record: config fields filled from defaults, and so on. */
export interface ParsedRecord {
  record: CheckpointRecord;
  notes: string[];
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
// Generator words are 32-bit; sfc32 may hold them as signed or unsigned numbers.
const isU32 = (x: unknown) => Number.isInteger(x) && (x as number) >= -0x80000000 && (x as number) <= 0xffffffff;
const isRngState = (x: unknown): x is RngState => Array.isArray(x) && x.length === 4 && x.every(isU32);
const isCount = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;

const fail = (what: string): never => {
  throw new CheckpointFormatError(`The checkpoint's record is damaged: ${what}. Export the checkpoint again from the run that made it.`);
};

/** Validates an untrusted record (parsed JSON). Throws CheckpointFormatError with a precise message. */
export function parseRecord(raw: unknown): ParsedRecord {
  if (!isObject(raw) || raw.format !== CHECKPOINT_FORMAT) {
    throw new CheckpointFormatError(`This file is not an HVP Playground checkpoint (its metadata has no "${CHECKPOINT_FORMAT}" record). Choose a .safetensors file exported by HVP Playground or its CLI.`);
  }
  if (!isCount(raw.version) || raw.version < 1) fail('the format version is missing');
  if ((raw.version as number) > CHECKPOINT_VERSION) {
    throw new CheckpointFormatError(`This checkpoint uses format version ${raw.version}, written by HVP Playground ${String(raw.appVersion)}; this app reads up to version ${CHECKPOINT_VERSION}. Update the app (reload the page, or pull the latest version for the CLI).`);
  }
  const notes: string[] = [];
  const cfgRaw = raw.config;
  if (!isObject(cfgRaw)) fail('the run configuration is missing');
  const cfgIn = cfgRaw as Record<string, unknown>;
  if (typeof cfgIn.method === 'string' && !(METHOD_NAMES as readonly string[]).includes(cfgIn.method)) {
    throw new CheckpointFormatError(`This checkpoint was trained with the method "${cfgIn.method}", which this version of HVP Playground does not have (it has ${METHOD_NAMES.join(', ')}). Update the app.`);
  }
  if (typeof cfgIn.backbone === 'string' && !(BACKBONE_NAMES as readonly string[]).includes(cfgIn.backbone)) {
    throw new CheckpointFormatError(`This checkpoint uses the backbone "${cfgIn.backbone}", which this version of HVP Playground does not have (it has ${BACKBONE_NAMES.join(', ')}). Update the app.`);
  }
  const absent = (Object.keys(DEFAULT_CONFIG) as (keyof RunConfig)[]).filter((k) => !(k in cfgIn));
  if (absent.length) notes.push(`Settings added since this checkpoint was written take their defaults: ${absent.join(', ')}.`);
  const known = Object.fromEntries(Object.entries(cfgIn).filter(([k]) => k in DEFAULT_CONFIG));
  const unknown = Object.keys(cfgIn).filter((k) => !(k in DEFAULT_CONFIG));
  if (unknown.length) notes.push(`Settings this version does not know were ignored: ${unknown.join(', ')}.`);
  const { config, issues } = validateConfig(known);
  if (issues.length) {
    throw new CheckpointFormatError(`This checkpoint's settings are not valid in this version of HVP Playground, so its run cannot be rebuilt. Export it again from the run that made it, or update the app. (Technical detail: ${issues.map((i) => i.message).join(' ')})`);
  }
  const p = raw.progress;
  if (!isObject(p) || !isCount(p.step) || !isRngState(p.viewRng) || !isRngState(p.selectRng)) fail('the step counter or generator states are missing');
  const prog = p as Record<string, unknown>;
  const sampler = prog.sampler;
  if (!isObject(sampler) || !isRngState(sampler.epochRngState) || !isCount(sampler.epoch) || !isCount(sampler.position)) fail('the data-order position is missing');
  if (!isRngState(raw.probeRng)) fail('the probe generator state is missing');
  const ds = raw.dataset;
  if (!isObject(ds) || typeof ds.name !== 'string' || !isCount(ds.numTrain) || !isCount(ds.numTest) || typeof ds.hash !== 'string') fail('the dataset fingerprint is missing');
  const dsRec = ds as Record<string, unknown>;
  if (dsRec.normalization === undefined) {
    notes.push("This checkpoint predates per-dataset normalisation: the run continues with CIFAR-10's statistics, which it was trained with.");
  } else {
    const problem = normalizationProblem(dsRec.normalization);
    if (problem) fail(`its dataset normalisation (dataset.normalization) is malformed: ${problem}`);
  }
  const h = raw.history;
  if (!isObject(h) || !Array.isArray(h.metrics) || !Array.isArray(h.knn)) fail('the metric history is missing');
  const hist = h as Record<string, unknown>;
  if (hist.evaluations !== undefined) {
    // Optional since probe/health records were added; malformed ones are dropped, not fatal.
    const { records, numDropped } = validEvaluations(hist.evaluations);
    hist.evaluations = records;
    if (numDropped) notes.push(`${numDropped} malformed evaluation record(s) in the history were ignored.`);
  }
  const t = raw.tensors;
  if (!isObject(t) || !Array.isArray(t.model) || !Array.isArray(t.optimizer)) fail('the tensor list is missing');
  return {
    record: {
      format: CHECKPOINT_FORMAT,
      version: raw.version as number,
      appVersion: String(raw.appVersion ?? 'unknown'),
      createdAt: String(raw.createdAt ?? ''),
      config,
      progress: prog as unknown as TrainerProgress,
      probeRng: raw.probeRng as RngState,
      dataset: ds as unknown as DatasetFingerprint,
      history: h as unknown as RunHistory,
      backend: String(raw.backend ?? 'unknown'),
      tensors: t as { model: string[]; optimizer: string[] },
    },
    notes,
  };
}

/**
 * Type and range checks of the untrusted fields of a checkpoint record (record.ts): the progress
 * counters (step within the schedule, epoch at most one per step, data-order position within the
 * dataset), the dataset fingerprint, the tensor lists (names, count, optimizer slots from a fixed
 * set — never `constructor` or `__proto__`) and the per-tensor CRC-32 map. Each returns a new
 * plain value built from the checked fields only, or throws CheckpointFormatError saying which
 * field is wrong (`recordDamaged`).
 * Must not import: tfjs, DOM, gpu/, worker/, ui/.
 */
import type { DatasetFingerprint } from '../data/fingerprint';
import { normalizationProblem, type Normalization } from '../data/normalization';
import type { RngState } from '../random';
import type { TrainerProgress } from '../state/trainerState';
import { CheckpointFormatError } from './checkpointFormatError';
import { MAX_TENSORS } from './safetensorsHeader';

/**
 * Every optimizer slot a checkpoint may hold: SGD and LARS keep `momentum`, AdamW `exp_avg`,
 * `exp_avg_sq` and the int32 `step` (core/ops/optimizerState.ts, python/hvp_torch/optim.py).
 */
export const OPTIMIZER_SLOTS: readonly string[] = ['momentum', 'exp_avg', 'exp_avg_sq', 'step'];

/** Longest tensor name accepted (ours are under 80 characters). */
const MAX_NAME_LENGTH = 256;
/** Largest image count or side length accepted in a fingerprint. */
const MAX_COUNT = 100_000_000;

type Obj = Record<string, unknown>;
export const isObject = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isCountUpTo = (x: unknown, max: number): x is number => Number.isSafeInteger(x) && (x as number) >= 0 && (x as number) <= max;
// Generator words are 32-bit; sfc32 may hold them as signed or unsigned numbers.
const isU32 = (x: unknown) => Number.isInteger(x) && (x as number) >= -0x80000000 && (x as number) <= 0xffffffff;
const isRngState = (x: unknown): x is RngState => Array.isArray(x) && x.length === 4 && x.every(isU32);
const rngOf = (x: RngState): RngState => [x[0], x[1], x[2], x[3]];

/** The error for a record field that is missing or out of range. */
export function recordDamaged(what: string): never {
  throw new CheckpointFormatError(`The checkpoint's record is damaged: ${what}. Export the checkpoint again from the run that made it.`);
}

/** record.progress, with the step within [0, totalSteps], epoch ≤ step and position ≤ numTrain. */
export function checkProgress(raw: unknown, totalSteps: number, numTrain: number): TrainerProgress {
  if (!isObject(raw) || !isRngState(raw.viewRng) || !isRngState(raw.selectRng)) recordDamaged('the step counter or generator states are missing');
  const p = raw as Obj;
  if (!isCountUpTo(p.step, totalSteps)) recordDamaged(`the step counter (${String(p.step).slice(0, 40)}) is not a whole number from 0 to the run's ${totalSteps} total steps`);
  const step = p.step as number;
  const s = p.sampler;
  if (!isObject(s) || !isRngState(s.epochRngState)) recordDamaged('the data-order position is missing');
  const sampler = s as Obj;
  // An epoch starts only when a step draws past the end of the previous one.
  if (!isCountUpTo(sampler.epoch, step)) recordDamaged(`the epoch (${String(sampler.epoch).slice(0, 40)}) is not a whole number from 0 to the step (${step})`);
  if (!isCountUpTo(sampler.position, numTrain)) {
    recordDamaged(`the data-order position (${String(sampler.position).slice(0, 40)}) is not a whole number from 0 to the ${numTrain} training images`);
  }
  return {
    step,
    sampler: { epochRngState: rngOf(sampler.epochRngState as RngState), epoch: sampler.epoch as number, position: sampler.position as number },
    viewRng: rngOf(p.viewRng as RngState),
    selectRng: rngOf(p.selectRng as RngState),
  };
}

/** Whether `x` is a probe / generator state (4 words of 32 bits). */
export { isRngState };

/** record.dataset: name, counts, side lengths, hash, and the normalisation when present. */
export function checkDataset(raw: unknown): DatasetFingerprint {
  if (!isObject(raw) || typeof raw.name !== 'string' || !isCountUpTo(raw.numTrain, MAX_COUNT) || !isCountUpTo(raw.numTest, MAX_COUNT) || typeof raw.hash !== 'string') {
    recordDamaged('the dataset fingerprint is missing');
  }
  const d = raw as Obj;
  if ((d.name as string).length > 200 || (d.hash as string).length > 64) recordDamaged('the dataset fingerprint has an overlong name or hash');
  const out = { name: d.name, numTrain: d.numTrain, numTest: d.numTest, hash: d.hash } as DatasetFingerprint;
  // `info` shows the side lengths, so they must be whole numbers when present.
  for (const k of ['height', 'width'] as const) {
    if (d[k] === undefined) continue;
    if (!isCountUpTo(d[k], MAX_COUNT)) recordDamaged(`the dataset image ${k} is not a whole number`);
    out[k] = d[k] as number;
  }
  if (d.normalization !== undefined) {
    const problem = normalizationProblem(d.normalization);
    if (problem) recordDamaged(`its dataset normalisation (dataset.normalization) is malformed: ${problem}`);
    out.normalization = d.normalization as Normalization;
  }
  return out;
}

function checkNames(raw: unknown, part: string): string[] {
  if (!Array.isArray(raw) || raw.length > MAX_TENSORS) recordDamaged(`the ${part} tensor list is missing or longer than ${MAX_TENSORS}`);
  const names = raw as unknown[];
  const bad = names.find((n) => typeof n !== 'string' || n.length === 0 || n.length > MAX_NAME_LENGTH);
  if (bad !== undefined) recordDamaged(`the ${part} tensor list holds ${JSON.stringify(bad)?.slice(0, 60)}, not a tensor name`);
  if (new Set(names).size !== names.length) recordDamaged(`the ${part} tensor list names a tensor twice`);
  return [...(names as string[])];
}

/** record.tensors: unique names; every optimizer entry is `<parameter>.<slot>` with a known slot. */
export function checkTensorLists(raw: unknown): { model: string[]; optimizer: string[] } {
  if (!isObject(raw)) recordDamaged('the tensor list is missing');
  const t = raw as Obj;
  const model = checkNames(t.model, 'model');
  const optimizer = checkNames(t.optimizer, 'optimizer');
  for (const key of optimizer) {
    const dot = key.lastIndexOf('.');
    if (dot <= 0 || !OPTIMIZER_SLOTS.includes(key.slice(dot + 1))) {
      recordDamaged(`the optimizer tensor "${key.slice(0, 80)}" has no known slot (slots: ${OPTIMIZER_SLOTS.join(', ')})`);
    }
  }
  return { model, optimizer };
}

/** record.tensorCrc32 (absent in files written before checksums): file tensor name → CRC-32. */
export function checkCrcMap(raw: unknown): Record<string, number> | undefined {
  if (raw === undefined) return undefined;
  if (!isObject(raw)) recordDamaged('the tensor checksums (tensorCrc32) are not a map of numbers');
  const entries = Object.entries(raw as Obj);
  if (entries.length > MAX_TENSORS) recordDamaged(`the tensor checksums list more than ${MAX_TENSORS} tensors`);
  const bad = entries.find(([, v]) => !isCountUpTo(v, 0xffffffff));
  if (bad) recordDamaged(`the checksum of tensor "${bad[0].slice(0, 80)}" is not a 32-bit number`);
  return Object.fromEntries(entries) as Record<string, number>;
}

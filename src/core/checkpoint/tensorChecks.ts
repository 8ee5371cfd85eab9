/**
 * Checks of a checkpoint's tensors against its record, in two stages so that a reader can refuse a
 * file before reading its data: `checkTensorPlan` (header only: every tensor in the file is one the
 * record lists, each has a float dtype where floats are expected, and the record's CRC-32 map
 * covers exactly the file's tensors) and `checkTensorBytes` / `checkTensorValues` (per tensor, as
 * it is read: the CRC-32 of its stored bytes, then finite values, and running variances ≥ 0).
 * Every failure is a CheckpointFormatError naming the file and the tensor.
 *
 * Why CRC-32 and not SHA-256: the checksum guards against accidental damage (a flipped bit on disk,
 * a truncated or mangled copy), which CRC-32 detects (every burst up to 32 bits, all but 2^-32 of
 * random changes) at a fraction of a hash's cost, with the same function on both sides
 * (data/formats/crc32.ts, Python's zlib.crc32). Against a deliberate edit no unkeyed hash helps:
 * whoever edits the weights can rewrite the record's checksums too.
 * Must not import: tfjs, DOM, gpu/, worker/, ui/.
 */
import { crc32 } from '../data/formats/crc32';
import { fileProblem } from './checkpointFormatError';
import type { CheckpointRecord } from './record';
import type { DecodedTensor } from './safetensors';
import type { HeaderEntry } from './safetensorsHeader';
import { NUM_BATCHES_TRACKED } from './torchStateDict';

/** Prefix of optimizer-state tensors in the file. */
export const OPTIMIZER_PREFIX = 'optimizer.';

const FLOAT_DTYPES = new Set(['F32', 'F16', 'BF16', 'F64']);
const INT_DTYPES = new Set(['I32', 'I64']);

/** Whether the file tensor `name` holds integers: BN update counters and AdamW's step count. */
const isIntegerTensor = (name: string): boolean =>
  name.endsWith(`.${NUM_BATCHES_TRACKED}`) || (name.startsWith(OPTIMIZER_PREFIX) && name.endsWith('.step'));

/** The note of a file written before per-tensor checksums. */
export const NO_CHECKSUM_NOTE = 'This checkpoint was written before tensor checksums were added, so damage to its stored numbers cannot be detected; it was checked for impossible values only. Saving the run again adds checksums.';

/**
 * Header-stage checks (no tensor data read). Throws CheckpointFormatError; returns notes (the
 * missing-checksums note for older files).
 */
export function checkTensorPlan(record: CheckpointRecord, entries: readonly HeaderEntry[], source: string): string[] {
  const listed = new Set([...record.tensors.model, ...record.tensors.optimizer.map((k) => OPTIMIZER_PREFIX + k)]);
  const inFile = new Set(entries.map((e) => e.name));
  const runningMeans = new Set(record.tensors.model.filter((k) => k.endsWith('.running_mean')));
  const isCounter = (name: string) => name.endsWith(`.${NUM_BATCHES_TRACKED}`) && runningMeans.has(`${name.slice(0, -NUM_BATCHES_TRACKED.length)}running_mean`);
  const unlisted = entries.map((e) => e.name).filter((n) => !listed.has(n) && !isCounter(n));
  if (unlisted.length) {
    throw fileProblem(source, 'damaged', `it holds ${unlisted.length} tensor(s) its record does not list: ${nameList(unlisted)}`);
  }
  const missing = [...listed].filter((n) => !inFile.has(n));
  if (missing.length) {
    throw fileProblem(source, 'damaged', `it lacks ${missing.length} tensor(s) its record lists: ${nameList(missing)}`);
  }
  for (const e of entries) {
    const isInt = isIntegerTensor(e.name);
    if (!(isInt ? INT_DTYPES : FLOAT_DTYPES).has(e.dtype)) {
      throw fileProblem(source, 'unreadable', `tensor "${e.name}" is stored as ${e.dtype}, but it holds ${isInt ? 'a count (I32 or I64)' : 'floating-point numbers (F32, F16, BF16 or F64)'}`);
    }
  }
  const crcs = record.tensorCrc32;
  if (!crcs) return [NO_CHECKSUM_NOTE];
  const unchecked = [...inFile].filter((n) => !Object.hasOwn(crcs, n));
  const stray = Object.keys(crcs).filter((n) => !inFile.has(n));
  if (unchecked.length) throw fileProblem(source, 'damaged', `its record has no checksum for ${nameList(unchecked)}`);
  if (stray.length) throw fileProblem(source, 'damaged', `its record has checksums of tensors it does not hold: ${nameList(stray)}`);
  return [];
}

/** Checks the stored bytes of tensor `name` against the record's CRC-32 (if the record has them). */
export function checkTensorBytes(record: CheckpointRecord, name: string, raw: Uint8Array, source: string): void {
  const crcs = record.tensorCrc32;
  if (!crcs) return;
  const want = crcs[name]!;
  const got = crc32(raw);
  if (got !== want) {
    throw fileProblem(source, 'corrupted', `tensor "${name}" fails its checksum: CRC-32 ${hex(got)} of its ${raw.length} bytes, the record says ${hex(want)}`);
  }
}

/** Checks decoded values: finite floats (weights and optimizer state) and running variances ≥ 0. */
export function checkTensorValues(name: string, t: DecodedTensor, source: string): void {
  if (t.dtype !== 'F32') return;
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i]!)) {
      throw fileProblem(source, 'invalidValues', `tensor "${name}" holds ${d[i]} at index ${i} (of ${d.length}); weights and optimizer state are finite numbers`);
    }
  }
  // Zero is possible: a channel that is constant in every batch decays its running variance to 0.
  if (name.endsWith('.running_var') && !name.startsWith(OPTIMIZER_PREFIX)) {
    const i = d.findIndex((v) => v < 0);
    if (i >= 0) throw fileProblem(source, 'invalidValues', `BatchNorm running variance "${name}" holds ${d[i]} at index ${i}; a variance is never negative`);
  }
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
const nameList = (xs: string[]) => xs.slice(0, 5).map((x) => `"${x.slice(0, 80)}"`).join(', ') + (xs.length > 5 ? ', …' : '');

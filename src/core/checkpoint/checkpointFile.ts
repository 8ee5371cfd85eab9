/**
 * The checkpoint file: one `.safetensors` holding every tensor of a run plus the versioned record.
 *
 *   <model state_dict names>          weights and BN buffers in PyTorch layouts (OIHW convs, [out, in]
 *                                     linears), `<bn>.num_batches_tracked` (I64) as torch keeps them;
 *                                     `backbone.*` minus the prefix is a torchvision ResNet state dict.
 *   optimizer.<param>.<slot>          optimizer state in the same layouts (e.g. `….momentum`).
 *   metadata  format = "pt", hvp.record = CheckpointRecord JSON (record.ts).
 *
 * Decoding validates bytes → header → record → tensor lists, and every failure is a
 * CheckpointFormatError naming the file and the problem; shapes are checked against the model when a
 * trainer is built from the snapshot (createTrainer resumeFrom).
 * Must not import: tfjs, DOM.
 */
import { CIFAR10_NORMALIZATION, cleanNormalization } from '../data/normalization';
import type { HostTensor } from '../train/hostTensor';
import type { TrainerSnapshot } from '../train/trainerState';
import { CheckpointFormatError, fileProblem } from './checkpointFormatError';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, parseRecord, RECORD_METADATA_KEY, type CheckpointRecord } from './record';
import { decodeSafetensors, encodeSafetensors, type EncodeProgress, type SafetensorsTensor } from './safetensors';
import { fromTorchLayout, toTorchLayout } from './torchLayout';
import { fromTorchStateDict, hostToSafetensor, safetensorToHost, toTorchStateDict } from './torchStateDict';

/** Prefix of optimizer-state tensors in the file. */
export const OPTIMIZER_PREFIX = 'optimizer.';

/** What a checkpoint holds once read. */
export interface LoadedCheckpoint {
  record: CheckpointRecord;
  snapshot: TrainerSnapshot;
  /** Things the user should know (defaults filled in for newer settings, …). */
  notes: string[];
}

/** The record fields the caller supplies; the rest comes from the snapshot. */
export type RecordInput = Omit<CheckpointRecord, 'format' | 'version' | 'progress' | 'tensors'>;

/** Encodes a snapshot and its record into the bytes of a `.safetensors` file. */
export function encodeCheckpoint(input: RecordInput, snapshot: TrainerSnapshot, onProgress?: EncodeProgress): Uint8Array {
  const tensors = new Map<string, SafetensorsTensor>(toTorchStateDict(snapshot.model, snapshot.progress.step));
  for (const [key, t] of snapshot.optimizer) tensors.set(OPTIMIZER_PREFIX + key, hostToSafetensor(toTorchLayout(key, t)));
  const record: CheckpointRecord = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    ...input,
    // The run's normalisation travels in the record's dataset fingerprint (not part of its hash).
    dataset: snapshot.normalization ? { ...input.dataset, normalization: cleanNormalization(snapshot.normalization) } : input.dataset,
    progress: snapshot.progress,
    tensors: { model: [...snapshot.model.keys()].sort(), optimizer: [...snapshot.optimizer.keys()].sort() },
  };
  return encodeSafetensors(tensors, { format: 'pt', [RECORD_METADATA_KEY]: JSON.stringify(record) }, onProgress);
}

/** Decodes and validates checkpoint bytes; `source` (the file name) appears in every message. */
export function decodeCheckpoint(bytes: Uint8Array, source = 'checkpoint'): LoadedCheckpoint {
  const { tensors, metadata } = decodeSafetensors(bytes, source);
  const json = metadata[RECORD_METADATA_KEY];
  if (json === undefined) {
    throw new CheckpointFormatError(`${source} holds model weights but no HVP Playground run, so there is nothing to resume: it was saved by another program. Choose a checkpoint exported by HVP Playground or its CLI. (Technical detail: a valid safetensors file with ${tensors.size} tensors but no "${RECORD_METADATA_KEY}" metadata.)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw fileProblem(source, 'damaged', `the run record is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { record, notes } = parseRecord(raw);
  const modelEntries = new Map([...tensors].filter(([k]) => !k.startsWith(OPTIMIZER_PREFIX)));
  const model = fromTorchStateDict(modelEntries).state;
  const optimizer = new Map<string, HostTensor>();
  for (const [k, t] of tensors) {
    if (!k.startsWith(OPTIMIZER_PREFIX)) continue;
    const key = k.slice(OPTIMIZER_PREFIX.length);
    optimizer.set(key, fromTorchLayout(key, safetensorToHost(k, t)));
  }
  const missing = [
    ...record.tensors.model.filter((k) => !model.has(k)),
    ...record.tensors.optimizer.filter((k) => !optimizer.has(k)).map((k) => OPTIMIZER_PREFIX + k),
  ];
  if (missing.length) {
    throw new CheckpointFormatError(`${source} is damaged or was edited: some of the weights it lists are missing. Export the checkpoint again from the run that made it. (Technical detail: ${source} lacks ${missing.length} tensor(s) its record lists: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}.)`);
  }
  // A record without normalisation predates it: the run was trained with CIFAR-10's statistics.
  const normalization = record.dataset.normalization ?? CIFAR10_NORMALIZATION;
  return { record, snapshot: { progress: record.progress, model, optimizer, normalization }, notes };
}

/** A file name for a checkpoint, e.g. `hvp-simsiam-hard-step120.safetensors`. */
export function checkpointFileName(record: Pick<CheckpointRecord, 'config'>, step: number): string {
  return `hvp-${record.config.method}-${record.config.hvpMode}-step${step}.safetensors`;
}

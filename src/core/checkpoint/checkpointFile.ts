/**
 * The checkpoint file: one `.safetensors` holding every tensor of a run plus the versioned record.
 *
 *   <model state_dict names>          weights and BN buffers in PyTorch layouts (OIHW convs, [out, in]
 *                                     linears), `<bn>.num_batches_tracked` (I64) as torch keeps them;
 *                                     `backbone.*` minus the prefix is a torchvision ResNet state dict.
 *   optimizer.<param>.<slot>          optimizer state in the same layouts (e.g. `….momentum`).
 *   metadata  format = "pt", hvp.record = CheckpointRecord JSON (record.ts), hvp.recordCrc32 = its CRC-32.
 *
 *   record.tensorCrc32                CRC-32 of every tensor's stored bytes (tensorChecks.ts).
 *
 * Decoding validates bytes → header → record → tensor plan → each tensor's checksum and values
 * (checkpointReader.ts), and every failure is a CheckpointFormatError naming the file and the
 * problem; shapes are checked against the model when a trainer is built from the snapshot
 * (createTrainer resumeFrom).
 * Must not import: tfjs, DOM.
 */
import { cleanNormalization } from '../data/normalization';
import { crc32 } from '../data/formats/crc32';
import type { TrainerSnapshot } from '../state/trainerState';
import { checkpointHead, loadCheckpointTensors, type LoadedCheckpoint } from './checkpointReader';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, RECORD_CRC_METADATA_KEY, RECORD_METADATA_KEY, type CheckpointRecord } from './record';
import { encodeSafetensors, littleEndianBytes, type EncodeProgress, type SafetensorsTensor } from './safetensors';
import { parseSafetensorsHeader } from './safetensorsHeader';
import { OPTIMIZER_PREFIX } from './tensorChecks';
import { toTorchLayout } from './torchLayout';
import { hostToSafetensor, toTorchStateDict } from './torchStateDict';
import { utf8Encode } from './utf8';

export { OPTIMIZER_PREFIX } from './tensorChecks';
export type { LoadedCheckpoint } from './checkpointReader';

/** The record fields the caller supplies; the rest comes from the snapshot. */
export type RecordInput = Omit<CheckpointRecord, 'format' | 'version' | 'progress' | 'tensors' | 'tensorCrc32'>;

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
    tensorCrc32: Object.fromEntries([...tensors].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, t]) => [name, crc32(littleEndianBytes(t))])),
  };
  const json = JSON.stringify(record);
  const metadata = { format: 'pt', [RECORD_METADATA_KEY]: json, [RECORD_CRC_METADATA_KEY]: String(crc32(utf8Encode(json))) };
  return encodeSafetensors(tensors, metadata, onProgress);
}

/** Decodes and validates checkpoint bytes (the whole file); `source` (the file name) appears in every message. */
export function decodeCheckpoint(bytes: Uint8Array, source = 'checkpoint'): LoadedCheckpoint {
  const head = checkpointHead(parseSafetensorsHeader(bytes, source), source);
  const dataStart = head.header.dataStart;
  return loadCheckpointTensors(head, (e) => bytes.subarray(dataStart + e.begin, dataStart + e.end), source);
}

/** A file name for a checkpoint, e.g. `hvp-simsiam-hard-step120.safetensors`. */
export function checkpointFileName(record: Pick<CheckpointRecord, 'config'>, step: number): string {
  return `hvp-${record.config.method}-${record.config.hvpMode}-step${step}.safetensors`;
}

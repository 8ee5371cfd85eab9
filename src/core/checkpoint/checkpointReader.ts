/**
 * Reading a checkpoint in stages, so that nothing large is read before the small parts are known to
 * be sound: `checkpointHead` takes a validated safetensors header (bounded size, bounded tensor
 * count) and checks its run record (against its CRC-32 when the file has one, then field by field)
 * and tensor plan (tensorChecks.ts), all before any tensor data;
 * `loadCheckpointTensors` then reads each tensor through a callback (a slice of bytes in memory, or
 * a positioned read of a file: cli/checkpointIo.ts), checks its CRC-32 and values, and builds the
 * snapshot. `info` stops after the head. Failures are CheckpointFormatErrors naming `source`.
 * Must not import: tfjs, DOM.
 */
import { CIFAR10_NORMALIZATION } from '../data/normalization';
import type { HostTensor } from '../state/hostTensor';
import type { TrainerSnapshot } from '../state/trainerState';
import { crc32 } from '../data/formats/crc32';
import { CheckpointFormatError, fileProblem } from './checkpointFormatError';
import { parseRecordJson, RECORD_CRC_METADATA_KEY, RECORD_METADATA_KEY, type CheckpointRecord } from './record';
import { decodeTensorBytes, type DecodedTensor } from './safetensors';
import type { HeaderEntry, ParsedHeader } from './safetensorsHeader';
import { checkTensorBytes, checkTensorPlan, checkTensorValues, OPTIMIZER_PREFIX } from './tensorChecks';
import { fromTorchLayout } from './torchLayout';
import { fromTorchStateDict, safetensorToHost } from './torchStateDict';
import { utf8Encode } from './utf8';

/** A checkpoint's record, checked against its header; no tensor data read yet. */
export interface CheckpointHead {
  record: CheckpointRecord;
  /** Things the user should know (defaults filled in for newer settings, no checksums, …). */
  notes: string[];
  header: ParsedHeader;
}

/** What a checkpoint holds once read. */
export interface LoadedCheckpoint {
  record: CheckpointRecord;
  snapshot: TrainerSnapshot;
  /** Things the user should know (defaults filled in for newer settings, …). */
  notes: string[];
}

/** Checks the record JSON against its CRC-32 (metadata `hvp.recordCrc32`), when the file has one. */
function checkRecordCrc(json: string, crcText: string | undefined, source: string): void {
  if (crcText === undefined) return;
  const got = crc32(utf8Encode(json));
  if (!/^\d{1,10}$/.test(crcText) || Number(crcText) !== got) {
    throw fileProblem(source, 'corrupted', `the run record fails its checksum: CRC-32 ${got} of its ${json.length} characters, the file says ${JSON.stringify(crcText.slice(0, 20))}`);
  }
}

/** Checks the run record of a parsed header (and its checksum) and its tensor plan. Reads no tensor data. */
export function checkpointHead(header: ParsedHeader, source = 'checkpoint'): CheckpointHead {
  const json = header.metadata[RECORD_METADATA_KEY];
  if (json === undefined) {
    throw new CheckpointFormatError(`${source} holds model weights but no HVP Playground run, so there is nothing to resume: it was saved by another program. Choose a checkpoint exported by HVP Playground or its CLI. (Technical detail: a valid safetensors file with ${header.entries.length} tensors but no "${RECORD_METADATA_KEY}" metadata.)`);
  }
  checkRecordCrc(json, header.metadata[RECORD_CRC_METADATA_KEY], source);
  const { record, notes } = parseRecordJson(json, source);
  notes.push(...checkTensorPlan(record, header.entries, source));
  return { record, notes, header };
}

/**
 * Reads every tensor of `head` with `readTensor` (its stored bytes, e.end − e.begin of them),
 * checks each (checksum, finite values, running variances) and builds the snapshot.
 * NOTE: the snapshot's arrays may alias what `readTensor` returned.
 */
export function loadCheckpointTensors(head: CheckpointHead, readTensor: (e: HeaderEntry) => Uint8Array, source = 'checkpoint'): LoadedCheckpoint {
  const { record, notes } = head;
  const modelEntries = new Map<string, DecodedTensor>();
  const optimizer = new Map<string, HostTensor>();
  for (const e of head.header.entries) {
    const raw = readTensor(e);
    checkTensorBytes(record, e.name, raw, source);
    const t = decodeTensorBytes(raw, e, source);
    checkTensorValues(e.name, t, source);
    if (!e.name.startsWith(OPTIMIZER_PREFIX)) modelEntries.set(e.name, t);
    else {
      const key = e.name.slice(OPTIMIZER_PREFIX.length);
      optimizer.set(key, fromTorchLayout(key, safetensorToHost(e.name, t)));
    }
  }
  const model = fromTorchStateDict(modelEntries).state;
  // A record without normalisation predates it: the run was trained with CIFAR-10's statistics.
  const normalization = record.dataset.normalization ?? CIFAR10_NORMALIZATION;
  return { record, snapshot: { progress: record.progress, model, optimizer, normalization }, notes };
}

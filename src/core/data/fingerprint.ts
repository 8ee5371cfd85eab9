/**
 * Dataset fingerprint: a short identity of a Dataset (name, sizes, and a hash of a strided sample of
 * its pixels and all its labels), stored in checkpoints so a resume on other data is refused
 * with a clear message instead of silently continuing on the wrong images. A checkpoint's fingerprint
 * also carries the run's normalisation statistics (`normalization`), which are not part of the hash.
 * Must not import: tfjs, DOM.
 */
import { hashString } from '../random';
import type { Normalization } from './normalization';
import type { Dataset, ImageSet } from './types';

export interface DatasetFingerprint {
  name: string;
  numTrain: number;
  numTest: number;
  /** Source image side length (height × width). */
  height: number;
  width: number;
  /** 8 hex digits. */
  hash: string;
  /**
   * In a checkpoint record: the per-channel statistics the run normalises its views with
   * ({ mean, std, source }, normalization.ts). Not part of the hash and not compared by
   * fingerprintMismatch. Absent in records written before per-dataset normalisation: those runs
   * used CIFAR-10's (python/hvp_torch/run.py reads the same field with the same fallback).
   */
  normalization?: Normalization;
}

/** At most this many pixel bytes of each split enter the hash (every k-th byte). */
const SAMPLE_BYTES = 1 << 20;

function hashSet(h: number, s: ImageSet): number {
  const stride = Math.max(1, Math.floor(s.images.length / SAMPLE_BYTES));
  for (let i = 0; i < s.images.length; i += stride) h = Math.imul(h ^ s.images[i]!, 0x01000193) >>> 0;
  if (s.labels) for (let i = 0; i < s.labels.length; i++) h = Math.imul(h ^ (s.labels[i]! & 0xff), 0x01000193) >>> 0;
  return h;
}

/** Fingerprint of a dataset (fast: samples ≤ 1 MiB of pixels per split). */
export function fingerprintDataset(d: Dataset): DatasetFingerprint {
  let h = hashString(`${d.name}|${d.train.numImages}|${d.test.numImages}|${d.train.height}x${d.train.width}`);
  h = hashSet(h, d.train);
  h = hashSet(h, d.test);
  return { name: d.name, numTrain: d.train.numImages, numTest: d.test.numImages, height: d.train.height, width: d.train.width, hash: h.toString(16).padStart(8, '0') };
}

/** What differs between two fingerprints that do not match: name, image counts, image size, or —
 * when those agree — the pixels or labels. */
function whatDiffers(saved: DatasetFingerprint, current: DatasetFingerprint): string {
  const parts: string[] = [];
  if (saved.name !== current.name) parts.push(`the name ("${saved.name}" vs "${current.name}")`);
  if (saved.numTrain !== current.numTrain || saved.numTest !== current.numTest) {
    parts.push(`the image counts (${saved.numTrain} + ${saved.numTest} vs ${current.numTrain} + ${current.numTest})`);
  }
  if (saved.height !== current.height || saved.width !== current.width) {
    parts.push(`the image size (${saved.height}×${saved.width} vs ${current.height}×${current.width})`);
  }
  return parts.length
    ? `They differ in ${parts.join(', ')}.`
    : 'Name, image counts and image size agree, so the pixels or labels differ (other files, or files changed since).';
}

/** Why `saved` is not the data of `current`, in words (both described, then what differs), or null
 * when they match. python/hvp_torch/data/fingerprint.py gives the same text. */
export function fingerprintMismatch(saved: DatasetFingerprint, current: DatasetFingerprint): string | null {
  if (saved.hash === current.hash && saved.numTrain === current.numTrain && saved.numTest === current.numTest) return null;
  const describe = (f: DatasetFingerprint) => `"${f.name}" (${f.numTrain} training + ${f.numTest} held-out images of ${f.height}×${f.width}, fingerprint ${f.hash})`;
  return `The checkpoint was trained on ${describe(saved)}, but the loaded dataset is ${describe(current)}. ${whatDiffers(saved, current)}`;
}

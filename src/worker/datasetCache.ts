/**
 * The cache of imported datasets: decoded uint8 sets kept in the browser so a reload does not ask
 * for the files again. Used by the dataset worker (store, list, delete) and by the training
 * worker (load one set by id).
 *
 * The logic sits on a small key-value interface (`DatasetKv`) so it runs in Node tests on a Map;
 * `datasetIdb.ts` implements that interface with IndexedDB. Layout of one set:
 *   meta  record  id → StoredDatasetMeta (written last: a set without meta is incomplete)
 *   chunk records [id, 'images', k] → Uint8Array of whole images (≤ CHUNK_BYTES each),
 *                 [id, 'labels'] → Int32Array, [id, 'sourceTest'] → Uint8Array
 * Chunks keep every write and read small: a 50,000 × 32 × 32 × 3 set (150 MB) is 19 records of
 * 8 MB, never one giant structured clone.
 * Normalisation: the meta record keeps the set's per-channel statistics (core/data/normalization.ts),
 * which `put` fills in when the importer gave none. A set stored before per-dataset normalisation has
 * none in its meta: `get` works them out on every load (published statistics for CIFAR/MNIST/Fashion,
 * else one histogram pass over the pixels, ~0.1 s for 150 MB) and does not write them back, so a
 * load never races a delete into a meta record without chunks.
 * Must not import: ui/, DOM, tfjs.
 */
import { UserError } from '../core/userError';
import type { SourceFormat } from '../core/data/formats/types';
import { normalizationFor, type Normalization } from '../core/data/normalization';
import { formatBytes } from './formatBytes';

/** Largest image chunk record in bytes (whole images; at least one image per chunk). */
export const CHUNK_BYTES = 8 * 1024 * 1024;

/** What the dataset panel lists about a stored set. */
export interface StoredDatasetMeta {
  id: string;
  name: string;
  format: SourceFormat;
  /** What the user gave, e.g. "cifar-10-binary.tar.gz" or "pets/ (1,204 files)". */
  source: string;
  numImages: number;
  /** Class names (index = label); [] when the set is unlabelled. */
  classNames: string[];
  isLabelled: boolean;
  /** Side of the square uint8 RGB images. */
  imageSize: number;
  /** Stored bytes: pixels + labels + test marks. */
  numBytes: number;
  /** Images the source marks as test (CIFAR test_batch, IDX t10k); 0 when it marks none. */
  numSourceTest: number;
  /** Files or members that were skipped at import. */
  numSkipped: number;
  /** Non-fatal notes from the import (e.g. only one class). */
  warnings: string[];
  /** Date.now() at import. */
  createdAt: number;
  /** Images per image chunk record. */
  imagesPerChunk: number;
  numChunks: number;
  /**
   * Per-channel statistics the set's views are normalised with (core/data/normalization.ts).
   * Absent only in sets stored before per-dataset normalisation; `get` fills it in for those.
   */
  normalization?: Normalization;
  /**
   * Hash of the stored content (datasetDuplicate.ts datasetContentHash), so importing the same
   * files again finds this set. Absent in sets stored before it existed.
   */
  contentHash?: string;
}

/** A stored set loaded back into memory. */
export interface StoredDataset {
  meta: StoredDatasetMeta;
  /** uint8 RGB, [numImages, imageSize, imageSize, 3]. */
  images: Uint8Array;
  labels: Int32Array | null;
  isSourceTest: Uint8Array | null;
}

/** The pixels and labels `put` stores. */
export type StoredArrays = Omit<StoredDataset, 'meta'>;

/** Key of a chunk record. */
export type ChunkKey = [id: string, part: 'images', idx: number] | [id: string, part: 'labels' | 'sourceTest'];

/** The storage the cache needs; IndexedDB in the browser, a Map in tests. */
export interface DatasetKv {
  listMeta(): Promise<StoredDatasetMeta[]>;
  getMeta(id: string): Promise<StoredDatasetMeta | undefined>;
  putMeta(meta: StoredDatasetMeta): Promise<void>;
  /** Stores a copy of `value` (structured clone). */
  putChunk(key: ChunkKey, value: Uint8Array | Int32Array): Promise<void>;
  getChunk(key: ChunkKey): Promise<Uint8Array | Int32Array | undefined>;
  /** Deletes the meta record and every chunk of `id`. */
  deleteAll(id: string): Promise<void>;
  /** Ids that have chunks but no meta (an import cut short by a closed tab). */
  orphanIds(): Promise<string[]>;
  /** Browser storage use and quota in bytes, or null when unknown. */
  estimate(): Promise<{ usage: number; quota: number } | null>;
}

/** A stored set that is not (or no longer) in this browser. */
export class DatasetNotFoundError extends UserError {
  override name = 'DatasetNotFoundError';
  constructor(id: string) {
    super(`The stored dataset "${id}" is not in this browser: it was deleted, the browser cleared its storage, or the link came from another browser.`, 'Choose another dataset in the Datasets panel, or import the files again.');
  }
}

/** Not enough browser storage for a set. */
export class DatasetQuotaError extends UserError {
  override name = 'DatasetQuotaError';
  constructor(message: string) {
    super(message, 'Delete stored datasets you no longer need (Datasets panel), free disk space, or import fewer images.');
  }
}

/** A stored set whose records are damaged or missing. */
export class DatasetCorruptError extends UserError {
  override name = 'DatasetCorruptError';
  constructor(message: string) {
    super(message, 'Delete the dataset in the Datasets panel and import the files again.');
  }
}

/** Stores, lists, loads and deletes decoded sets. */
export interface DatasetCache {
  /** All complete sets, newest first. Removes leftovers of imports interrupted over an hour ago. */
  list(): Promise<StoredDatasetMeta[]>;
  /** Stores a set; `meta` without the fields derived from the arrays, which this fills in.
   * Throws DatasetQuotaError (nothing is left behind) when the browser refuses the space. */
  put(meta: NewDatasetMeta, arrays: StoredArrays, onProgress?: (fraction: number) => void): Promise<StoredDatasetMeta>;
  /** Loads a set (its meta always with `normalization`); throws DatasetNotFoundError or DatasetCorruptError. */
  get(id: string, onProgress?: (fraction: number) => void): Promise<StoredDataset>;
  /** Deletes a set; returns whether it existed. */
  delete(id: string): Promise<boolean>;
  estimate(): Promise<{ usage: number; quota: number } | null>;
}

/** What `put` needs besides the arrays; the rest of the meta record (and `normalization`, when
 * not given) is derived from them. */
export type NewDatasetMeta = Omit<StoredDatasetMeta, 'imagesPerChunk' | 'numChunks' | 'numBytes' | 'numSourceTest' | 'isLabelled'>;

/** Leftover chunks of an import this old (by the time in its id) are deleted by `list`; younger
 * ones may belong to an import still running in another tab. */
export const ORPHAN_AGE_MS = 60 * 60 * 1000;

/** A new set id: base-36 milliseconds, '-', 8 random base-36 characters (sortable, unique). */
export function newDatasetId(nowMs: number, random: () => number = Math.random): string {
  let tail = '';
  for (let i = 0; i < 8; i++) tail += Math.floor(random() * 36).toString(36);
  return `${Math.floor(nowMs).toString(36)}-${tail}`;
}

/** The creation time encoded in an id from newDatasetId, or null for another form. */
export function datasetIdTime(id: string): number | null {
  const m = /^([0-9a-z]+)-[0-9a-z]+$/.exec(id);
  return m ? parseInt(m[1]!, 36) : null;
}

/** Images per chunk record for images of `bytesPerImage` bytes. */
export function imagesPerChunkFor(bytesPerImage: number): number {
  return Math.max(1, Math.floor(CHUNK_BYTES / bytesPerImage));
}

const isQuotaError = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && 'name' in e && (e.name === 'QuotaExceededError' || /quota/i.test(String((e as { message?: unknown }).message ?? '')));

/** A set's statistics from its meta and pixels (published ones when its format and names match). */
function statisticsOf(meta: Pick<StoredDatasetMeta, 'format' | 'name' | 'classNames' | 'numImages'>, images: Uint8Array): Normalization {
  return normalizationFor({ format: meta.format, name: meta.name, classNames: meta.classNames, set: { images, numImages: meta.numImages } });
}

/** The cache over `kv`. */
export function createDatasetCache(kv: DatasetKv, now: () => number = Date.now): DatasetCache {
  return {
    async list() {
      for (const id of await kv.orphanIds()) {
        const t = datasetIdTime(id);
        if (t === null || now() - t > ORPHAN_AGE_MS) await kv.deleteAll(id);
      }
      const metas = await kv.listMeta();
      return metas.sort((a, b) => b.createdAt - a.createdAt);
    },

    async put(partial, arrays, onProgress) {
      const { images, labels, isSourceTest } = arrays;
      const bytesPerImage = partial.imageSize * partial.imageSize * 3;
      if (images.length !== partial.numImages * bytesPerImage) {
        throw new RangeError(`Dataset "${partial.name}": ${images.length} pixel bytes do not make ${partial.numImages} images of ${partial.imageSize}×${partial.imageSize}×3.`);
      }
      for (const [what, arr] of [['labels', labels], ['test marks', isSourceTest]] as const) {
        if (arr && arr.length !== partial.numImages) throw new RangeError(`Dataset "${partial.name}": ${arr.length} ${what} for ${partial.numImages} images.`);
      }
      const imagesPerChunk = imagesPerChunkFor(bytesPerImage);
      const numChunks = Math.ceil(partial.numImages / imagesPerChunk);
      let numSourceTest = 0;
      if (isSourceTest) for (const t of isSourceTest) numSourceTest += t ? 1 : 0;
      const sourceTest = numSourceTest > 0 ? isSourceTest : null;
      const numBytes = images.length + (labels?.byteLength ?? 0) + (sourceTest?.byteLength ?? 0);
      const normalization = partial.normalization ?? statisticsOf(partial, images);
      const meta: StoredDatasetMeta = { ...partial, isLabelled: labels !== null, numSourceTest, imagesPerChunk, numChunks, numBytes, normalization };

      const est = await kv.estimate();
      if (est && est.quota - est.usage < numBytes * 1.05) {
        throw new DatasetQuotaError(`Storing "${meta.name}" needs ${formatBytes(numBytes)} of browser storage, but only ${formatBytes(Math.max(0, est.quota - est.usage))} is free (${formatBytes(est.usage)} of ${formatBytes(est.quota)} used).`);
      }
      try {
        for (let k = 0; k < numChunks; k++) {
          const from = k * imagesPerChunk * bytesPerImage;
          const to = Math.min(images.length, from + imagesPerChunk * bytesPerImage);
          // slice, not subarray: a structured clone of a view copies its whole buffer.
          await kv.putChunk([meta.id, 'images', k], images.slice(from, to));
          onProgress?.((k + 1) / (numChunks + 1));
        }
        if (labels) await kv.putChunk([meta.id, 'labels'], labels);
        if (sourceTest) await kv.putChunk([meta.id, 'sourceTest'], sourceTest);
        await kv.putMeta(meta);
        onProgress?.(1);
      } catch (e) {
        await kv.deleteAll(meta.id).catch(() => undefined);
        if (isQuotaError(e)) throw new DatasetQuotaError(`The browser refused to store "${meta.name}" (${formatBytes(numBytes)}): its storage quota is full.`);
        throw e;
      }
      return meta;
    },

    async get(id, onProgress) {
      const meta = await kv.getMeta(id);
      if (!meta) throw new DatasetNotFoundError(id);
      const bytesPerImage = meta.imageSize * meta.imageSize * 3;
      const images = new Uint8Array(meta.numImages * bytesPerImage);
      for (let k = 0; k < meta.numChunks; k++) {
        const chunk = await kv.getChunk([id, 'images', k]);
        const offset = k * meta.imagesPerChunk * bytesPerImage;
        const expected = Math.min(meta.imagesPerChunk, meta.numImages - k * meta.imagesPerChunk) * bytesPerImage;
        if (!(chunk instanceof Uint8Array) || chunk.length !== expected) {
          throw new DatasetCorruptError(`Stored dataset "${meta.name}": image chunk ${k + 1} of ${meta.numChunks} is missing or has the wrong size.`);
        }
        images.set(chunk, offset);
        onProgress?.((k + 1) / meta.numChunks);
      }
      const labels = meta.isLabelled ? await kv.getChunk([id, 'labels']) : undefined;
      if (meta.isLabelled && (!(labels instanceof Int32Array) || labels.length !== meta.numImages)) {
        throw new DatasetCorruptError(`Stored dataset "${meta.name}": the labels are missing or have the wrong length.`);
      }
      const sourceTest = meta.numSourceTest > 0 ? await kv.getChunk([id, 'sourceTest']) : undefined;
      if (meta.numSourceTest > 0 && (!(sourceTest instanceof Uint8Array) || sourceTest.length !== meta.numImages)) {
        throw new DatasetCorruptError(`Stored dataset "${meta.name}": the test-split marks are missing or have the wrong length.`);
      }
      return {
        // A set stored before per-dataset normalisation: its statistics are worked out now (file header).
        meta: meta.normalization ? meta : { ...meta, normalization: statisticsOf(meta, images) },
        images,
        labels: labels instanceof Int32Array ? labels : null,
        isSourceTest: sourceTest instanceof Uint8Array ? sourceTest : null,
      };
    },

    async delete(id) {
      const existed = (await kv.getMeta(id)) !== undefined;
      await kv.deleteAll(id);
      return existed;
    },

    estimate: () => kv.estimate(),
  };
}

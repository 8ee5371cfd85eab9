/**
 * IndexedDB implementation of the dataset cache's key-value interface (see datasetCache.ts).
 * Kept thin on purpose: the chunking, quota and integrity logic is in datasetCache.ts and is
 * tested in Node; this file is covered by the e2e test (import, reload, train, delete).
 * Database "hvp-datasets", version 1: store "meta" (keyPath id) and store "chunks" (array keys
 * [id, part, idx?]). Works in Window and Worker scopes.
 * Must not import: ui/, tfjs.
 */
import { UserError } from '../core/userError';
import type { ChunkKey, DatasetKv, StoredDatasetMeta } from './datasetCache';

const DB_NAME = 'hvp-datasets';
const DB_VERSION = 1;
const META = 'meta';
const CHUNKS = 'chunks';

/** IndexedDB cannot be used (private window, storage disabled, or a newer database version). */
export class DatasetStorageError extends UserError {
  override name = 'DatasetStorageError';
  constructor(message: string) {
    super(message, 'Imported datasets are kept in the browser’s IndexedDB storage. Allow site data for this page (not a private window) and reload.');
  }
}

const request = <T>(req: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });

const done = (tx: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction was aborted'));
  });

/** All keys [id, …] of one set: arrays sort after numbers and strings, so [id, []] bounds them. */
const rangeOf = (id: string): IDBKeyRange => IDBKeyRange.bound([id], [id, []]);

/** Opens (creating on first use) the dataset database. Throws DatasetStorageError. */
export async function openDatasetIdb(): Promise<DatasetKv> {
  if (typeof indexedDB === 'undefined') throw new DatasetStorageError('This browser context has no IndexedDB.');
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    let req: IDBOpenDBRequest;
    try {
      req = indexedDB.open(DB_NAME, DB_VERSION);
    } catch (e) {
      reject(new DatasetStorageError(`IndexedDB refused to open: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    req.onupgradeneeded = () => {
      const d = req.result;
      if (!d.objectStoreNames.contains(META)) d.createObjectStore(META, { keyPath: 'id' });
      if (!d.objectStoreNames.contains(CHUNKS)) d.createObjectStore(CHUNKS);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new DatasetStorageError(`IndexedDB could not open the dataset store: ${req.error?.message ?? 'unknown error'}`));
    req.onblocked = () => reject(new DatasetStorageError('The dataset store is held open by an older copy of this app in another tab; close it and reload.'));
  });
  // Another tab upgrading the schema: let it, this connection becomes unusable.
  db.onversionchange = () => db.close();

  const tx = (stores: string[], mode: IDBTransactionMode) => db.transaction(stores, mode);

  return {
    async listMeta() {
      return request(tx([META], 'readonly').objectStore(META).getAll() as IDBRequest<StoredDatasetMeta[]>);
    },
    async getMeta(id) {
      return request(tx([META], 'readonly').objectStore(META).get(id) as IDBRequest<StoredDatasetMeta | undefined>);
    },
    async putMeta(meta) {
      const t = tx([META], 'readwrite');
      t.objectStore(META).put(meta);
      await done(t);
    },
    async putChunk(key: ChunkKey, value) {
      // One transaction per chunk, awaited: memory stays at one chunk in flight.
      const t = tx([CHUNKS], 'readwrite');
      t.objectStore(CHUNKS).put(value, key);
      await done(t);
    },
    async getChunk(key: ChunkKey) {
      return request(tx([CHUNKS], 'readonly').objectStore(CHUNKS).get(key) as IDBRequest<Uint8Array | Int32Array | undefined>);
    },
    async deleteAll(id) {
      const t = tx([META, CHUNKS], 'readwrite');
      t.objectStore(META).delete(id);
      t.objectStore(CHUNKS).delete(rangeOf(id));
      await done(t);
    },
    async orphanIds() {
      const t = tx([META, CHUNKS], 'readonly');
      const [metaIds, chunkKeys] = await Promise.all([
        request(t.objectStore(META).getAllKeys()),
        request(t.objectStore(CHUNKS).getAllKeys()),
      ]);
      const complete = new Set(metaIds.map(String));
      const ids = new Set<string>();
      for (const k of chunkKeys) if (Array.isArray(k) && !complete.has(String(k[0]))) ids.add(String(k[0]));
      return [...ids];
    },
    async estimate() {
      const storage = (globalThis as { navigator?: { storage?: StorageManager } }).navigator?.storage;
      if (!storage?.estimate) return null;
      const e = await storage.estimate();
      return e.usage !== undefined && e.quota !== undefined ? { usage: e.usage, quota: e.quota } : null;
    },
  };
}

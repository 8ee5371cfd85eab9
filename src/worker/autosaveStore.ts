/**
 * Autosaves: the latest checkpoint of each recent run, kept in the browser (IndexedDB, written from the
 * training worker) so a crash or reload loses at most `autosaveEvery` steps. One entry per run id,
 * overwritten in one transaction (never half-written); the newest MAX_AUTOSAVES runs are kept.
 * `createMemoryAutosaveStore` is the same contract in memory, for Node tests.
 * Must not import: ui/, React.
 */

/** What the UI shows about an autosave without loading it. */
export interface AutosaveInfo {
  runId: string;
  step: number;
  totalSteps: number;
  /** ISO time. */
  savedAt: string;
  method: string;
  hvpMode: string;
  datasetName: string;
  byteLength: number;
}

export interface AutosaveStore {
  /** Saves (replaces) the autosave of `info.runId`, then drops all but the newest MAX_AUTOSAVES runs. */
  put(info: AutosaveInfo, bytes: Uint8Array): Promise<void>;
  /** Newest first. */
  list(): Promise<AutosaveInfo[]>;
  /** The checkpoint bytes of a run, or null when there is none. */
  get(runId: string): Promise<Uint8Array | null>;
  remove(runId: string): Promise<void>;
}

/** Runs whose autosaves are kept. */
export const MAX_AUTOSAVES = 3;

const newestFirst = (a: AutosaveInfo, b: AutosaveInfo) => (a.savedAt < b.savedAt ? 1 : a.savedAt > b.savedAt ? -1 : 0);

/** In-memory store (tests). */
export function createMemoryAutosaveStore(): AutosaveStore {
  const entries = new Map<string, { info: AutosaveInfo; bytes: Uint8Array }>();
  return {
    async put(info, bytes) {
      entries.set(info.runId, { info: { ...info }, bytes: bytes.slice() });
      const old = [...entries.values()].map((e) => e.info).sort(newestFirst).slice(MAX_AUTOSAVES);
      for (const o of old) entries.delete(o.runId);
    },
    list: async () => [...entries.values()].map((e) => ({ ...e.info })).sort(newestFirst),
    get: async (runId) => entries.get(runId)?.bytes.slice() ?? null,
    async remove(runId) {
      entries.delete(runId);
    },
  };
}

const DB_NAME = 'hvp-playground-autosave';
const STORE = 'autosaves';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(quotaMessage(tx.error));
    tx.onerror = () => reject(quotaMessage(tx.error));
  });
}

function quotaMessage(e: DOMException | null): Error {
  if (e?.name === 'QuotaExceededError') {
    const err = new Error('The browser has no storage left for the autosave. Delete stored datasets or old autosaves, or export the checkpoint to a file.');
    err.name = 'QuotaExceededError';
    return err;
  }
  return e ?? new Error('IndexedDB transaction failed');
}

/** IndexedDB store (browser, main thread or worker). Entries: { info, bytes: ArrayBuffer }, key = runId. */
export function createIndexedDbAutosaveStore(): AutosaveStore {
  let db: Promise<IDBDatabase> | null = null;
  const open = (): Promise<IDBDatabase> => {
    if (!db) {
      if (typeof indexedDB === 'undefined') return Promise.reject(new Error('This browser offers no IndexedDB, so runs cannot be autosaved. Export checkpoints to files instead.'));
      const r = indexedDB.open(DB_NAME, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: 'info.runId' });
      db = request(r);
    }
    return db;
  };
  const list = async (): Promise<AutosaveInfo[]> => {
    const tx = (await open()).transaction(STORE, 'readonly');
    // Keys and infos only would need an index; entries are few (≤ MAX_AUTOSAVES), so read them.
    const all = (await request(tx.objectStore(STORE).getAll())) as { info: AutosaveInfo }[];
    return all.map((e) => e.info).sort(newestFirst);
  };
  return {
    async put(info, bytes) {
      const copy = bytes.slice().buffer;
      const tx = (await open()).transaction(STORE, 'readwrite');
      tx.objectStore(STORE).put({ info, bytes: copy });
      await done(tx);
      const old = (await list()).slice(MAX_AUTOSAVES);
      if (old.length) {
        const del = (await open()).transaction(STORE, 'readwrite');
        for (const o of old) del.objectStore(STORE).delete(o.runId);
        await done(del);
      }
    },
    list,
    async get(runId) {
      const tx = (await open()).transaction(STORE, 'readonly');
      const e = (await request(tx.objectStore(STORE).get(runId))) as { bytes: ArrayBuffer } | undefined;
      return e ? new Uint8Array(e.bytes) : null;
    },
    async remove(runId) {
      const tx = (await open()).transaction(STORE, 'readwrite');
      tx.objectStore(STORE).delete(runId);
      await done(tx);
    },
  };
}

// An in-memory DatasetKv (the dataset cache's storage interface) for Node tests: a Map with the
// same copy-on-write semantics as IndexedDB's structured clone, plus knobs to simulate a quota,
// a failing write and a damaged record.
import type { ChunkKey, DatasetKv, StoredDatasetMeta } from '../../src/worker/datasetCache';

/** The Map-backed store and its test knobs. */
export interface MemoryDatasetKv extends DatasetKv {
  readonly chunks: Map<string, Uint8Array | Int32Array>;
  readonly metas: Map<string, StoredDatasetMeta>;
  /** Reported by estimate(); null = unknown. */
  quota: { usage: number; quota: number } | null;
  /** When set, putChunk throws this after `failAfterChunks` successful writes. */
  failWith: Error | null;
  failAfterChunks: number;
}

const keyOf = (k: ChunkKey): string => JSON.stringify(k);

/** A fresh, empty store. */
export function createMemoryDatasetKv(): MemoryDatasetKv {
  const chunks = new Map<string, Uint8Array | Int32Array>();
  const metas = new Map<string, StoredDatasetMeta>();
  let numWrites = 0;
  const kv: MemoryDatasetKv = {
    chunks,
    metas,
    quota: null,
    failWith: null,
    failAfterChunks: 0,
    listMeta: async () => [...metas.values()].map((m) => structuredClone(m)),
    getMeta: async (id) => (metas.has(id) ? structuredClone(metas.get(id)!) : undefined),
    putMeta: async (meta) => { metas.set(meta.id, structuredClone(meta)); },
    putChunk: async (key, value) => {
      if (kv.failWith && numWrites >= kv.failAfterChunks) throw kv.failWith;
      numWrites++;
      chunks.set(keyOf(key), value.slice());
    },
    getChunk: async (key) => chunks.get(keyOf(key))?.slice(),
    deleteAll: async (id) => {
      metas.delete(id);
      for (const k of [...chunks.keys()]) if ((JSON.parse(k) as unknown[])[0] === id) chunks.delete(k);
    },
    orphanIds: async () => {
      const ids = new Set<string>();
      for (const k of chunks.keys()) {
        const id = (JSON.parse(k) as string[])[0]!;
        if (!metas.has(id)) ids.add(id);
      }
      return [...ids];
    },
    estimate: async () => kv.quota,
  };
  return kv;
}

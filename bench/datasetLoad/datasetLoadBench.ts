/**
 * Dataset load benchmark (bench/datasetLoad/index.html; run with runDatasetBench.mjs, see
 * bench/README.md): one file chosen in the page goes the whole way a user's dataset goes —
 *   import  DatasetWorkerClient → dataset worker: read the File, unpack, decode, store in IndexedDB
 *   load    the training worker's path (createRunDatasetMaker): read the chunks back from IndexedDB
 *           and split train / held-out (here on the page's thread, the same code)
 * then deletes the stored set. Reports wall times, the time per import stage (from the worker's
 * progress events) and epoch-ms phase windows, so the runner can attribute its memory samples.
 * Must not import: ui/.
 */
import { DEFAULT_CONFIG, storedDatasetRef } from '../../src/core/config/runConfig';
import { createDatasetCache } from '../../src/worker/datasetCache';
import { DatasetWorkerClient } from '../../src/worker/datasetClient';
import { openDatasetIdb } from '../../src/worker/datasetIdb';
import type { FromDatasetWorker, StoredDatasetMeta } from '../../src/worker/datasetProtocol';
import { createRunDatasetMaker } from '../../src/worker/runDataset';

declare global {
  interface Window {
    __benchResults?: unknown;
    gc?: () => void;
  }
}

const out = document.getElementById('out')!;
const input = document.getElementById('file') as HTMLInputElement;
const size = Number(new URLSearchParams(location.search).get('size') ?? 32);
const log = (s: string) => { out.textContent = `${out.textContent ?? ''}\n${s}`; };

/** Imports `file` in the dataset worker; resolves with the stored meta and per-stage times. */
function importInWorker(file: File): Promise<{ meta: StoredDatasetMeta; stages: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const client = new DatasetWorkerClient();
    const stages: Record<string, number> = {};
    let stage = '';
    let since = performance.now();
    const id = client.importFiles([{ path: file.name, file }], size);
    client.subscribe((m: FromDatasetWorker) => {
      if (m.type === 'progress' && m.id === id) {
        // Stages differing only in numbers ("Reading data_batch_2.bin") are grouped.
        const name = m.stage.replace(/\d[\d,]*/g, '#');
        if (name !== stage) {
          const now = performance.now();
          if (stage) stages[stage] = (stages[stage] ?? 0) + now - since;
          stage = name;
          since = now;
        }
      } else if (m.type === 'imported' && m.id === id) {
        if (stage) stages[stage] = (stages[stage] ?? 0) + performance.now() - since;
        client.terminate();
        resolve({ meta: m.meta, stages });
      } else if (m.type === 'importFailed' || m.type === 'error') {
        client.terminate();
        reject(new Error(`${m.error.name}: ${m.error.message}`));
      }
    });
  });
}

async function run(file: File): Promise<void> {
  window.gc?.();
  const importStart = Date.now();
  const t0 = performance.now();
  const { meta, stages } = await importInWorker(file);
  const importMs = performance.now() - t0;
  const importEnd = Date.now();
  log(`imported ${meta.numImages} images in ${importMs.toFixed(0)} ms`);

  await new Promise((r) => setTimeout(r, 1500)); // let the worker's memory go before the load phase
  window.gc?.();
  const loadStart = Date.now();
  const t1 = performance.now();
  const make = createRunDatasetMaker(async () => createDatasetCache(await openDatasetIdb()));
  const config = { ...DEFAULT_CONFIG, dataset: storedDatasetRef(meta.id), numTrainImages: 50000, numTestImages: 10000 };
  const dataset = await make(config, () => {});
  const loadMs = performance.now() - t1;
  const loadEnd = Date.now();
  log(`loaded ${dataset.train.numImages} + ${dataset.test.numImages} images in ${loadMs.toFixed(0)} ms`);

  const cache = createDatasetCache(await openDatasetIdb());
  await cache.delete(meta.id);
  window.__benchResults = {
    file: file.name,
    fileBytes: file.size,
    size,
    numImages: meta.numImages,
    storedBytes: meta.numBytes,
    numChunks: meta.numChunks,
    importMs,
    importStagesMs: stages,
    loadMs,
    numTrain: dataset.train.numImages,
    numTest: dataset.test.numImages,
    phases: { import: [importStart, importEnd], load: [loadStart, loadEnd] },
  };
  log(JSON.stringify(window.__benchResults, null, 2));
}

input.addEventListener('change', () => {
  const file = input.files?.[0];
  if (!file) return;
  run(file).catch((e: unknown) => {
    window.__benchResults = { error: e instanceof Error ? e.message : String(e) };
    log(`failed: ${String(e)}`);
  });
});

/**
 * DatasetWorkerClient against fake Workers, wired into the store the way main.tsx wires it:
 * requests with incrementing ids, answers reaching the dataset slice, and a crash that ends the
 * import, is reported, and is followed by a fresh worker on the next request.
 */
import { describe, expect, it } from 'vitest';
import { DATASET_WORKER_CRASH_ERROR_NAME, DatasetWorkerClient } from '../../worker/datasetClient';
import type { FromDatasetWorker, ToDatasetWorker } from '../../worker/datasetProtocol';
import { createAppStore } from './appStore';

/** A Worker stand-in: records posted messages and lets the test dispatch worker events. */
class FakeWorker extends EventTarget {
  posted: ToDatasetWorker[] = [];
  isTerminated = false;
  postMessage(msg: ToDatasetWorker): void {
    this.posted.push(msg);
  }
  terminate(): void {
    this.isTerminated = true;
  }
  emit(msg: FromDatasetWorker): void {
    this.dispatchEvent(new MessageEvent('message', { data: msg }));
  }
  crash(message: string): void {
    this.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message }));
  }
}

function setup() {
  const workers: FakeWorker[] = [];
  const client = new DatasetWorkerClient(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w as unknown as Worker;
  });
  const store = createAppStore();
  client.subscribe(store.getState().applyDatasetMessage);
  return { workers, client, store };
}

describe('dataset worker client', () => {
  it('starts the worker on the first request and routes answers into the store', () => {
    const { workers, client, store } = setup();
    expect(workers).toHaveLength(0);
    const listId = client.list();
    const blob = new Blob([new Uint8Array(4)]);
    const importId = client.importFiles([{ path: 'a.bin', file: blob }], 16);
    store.getState().beginDatasetImport(importId, 'a.bin');
    expect(workers).toHaveLength(1);
    expect(workers[0]!.posted).toEqual([{ type: 'list', id: listId }, { type: 'import', id: importId, files: [{ path: 'a.bin', file: blob }], imageSize: 16 }]);
    workers[0]!.emit({ type: 'progress', id: importId, stage: 'Reading files', fraction: 0.5 });
    expect(store.getState().datasetImport).toMatchObject({ stage: 'Reading files', fraction: 0.5 });
    expect(client.remove('xyz')).toBe(importId + 1);
  });

  it('reports a crash, ends the import, and uses a fresh worker next time', () => {
    const { workers, client, store } = setup();
    const id = client.importFiles([], 32);
    store.getState().beginDatasetImport(id, 'huge.zip');
    workers[0]!.crash('Out of memory');
    expect(workers[0]!.isTerminated).toBe(true);
    const s = store.getState();
    expect(s.datasetImport).toBeNull();
    expect(s.datasetReport).toMatchObject({ kind: 'error', name: DATASET_WORKER_CRASH_ERROR_NAME, message: 'The dataset worker crashed: Out of memory.' });
    client.list();
    expect(workers).toHaveLength(2);
    expect(workers[1]!.posted.map((m) => m.type)).toEqual(['list']);
  });

  it('refuses a worker of another protocol version', () => {
    const { workers, client, store } = setup();
    client.list();
    workers[0]!.emit({ type: 'ready', protocolVersion: 99 });
    expect(workers[0]!.isTerminated).toBe(true);
    expect(store.getState().datasetReport).toMatchObject({ kind: 'error', name: 'ProtocolMismatchError' });
  });
});

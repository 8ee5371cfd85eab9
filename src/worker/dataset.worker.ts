/**
 * Dataset worker entry: only wiring. Decodes imported files off the main thread with the format
 * importers and the browser's image decoder, and keeps the decoded sets in IndexedDB.
 * Must not import: ui/, tfjs, gpu/.
 */
import { importFiles } from '../core/data/formats/importFiles';
import { createDatasetCache } from './datasetCache';
import { createDatasetHandler } from './datasetHandler';
import { openDatasetIdb } from './datasetIdb';
import type { FromDatasetWorker, ToDatasetWorker } from './datasetProtocol';
import { createBrowserImageDecoder } from './imageDecoder';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const handle = createDatasetHandler({
  post: (msg: FromDatasetWorker) => scope.postMessage(msg),
  openCache: async () => createDatasetCache(await openDatasetIdb()),
  importFiles,
  decodeImage: createBrowserImageDecoder(),
});
scope.onmessage = (ev: MessageEvent<ToDatasetWorker>) => void handle(ev.data);

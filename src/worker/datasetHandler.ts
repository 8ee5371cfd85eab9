/**
 * The dataset worker's message handler, built from injected dependencies so it runs in Node tests
 * without a Worker, IndexedDB or an image decoder: import (read the files → decode with the
 * format importers → store in the cache), list and delete. Progress is one fraction over the
 * whole import (reading 5 %, unpacking + decoding 85 %, storing 10 %) with the current stage's name.
 * A failed import posts `importFailed` naming the file and the problem, with the skipped list;
 * nothing stored before is touched. One import runs at a time. Files whose content is already
 * stored (datasetDuplicate.ts) store nothing and answer with that set (`isDuplicate`); a new set
 * whose name is taken gets "name (2)" and says so (`renamedFrom`).
 * Must not import: ui/, DOM, tfjs.
 */
import { hintOf } from './workerState';
import { DatasetImportError, type ImageDecoder, type ImportOptions, type ImportResult, type InputFile, type SkippedFile } from '../core/data/formats/types';
import { maxImagesAt, MAX_FILE_BYTES, MAX_TOTAL_INPUT_BYTES } from '../core/data/formats/limits';
import { newDatasetId, type DatasetCache } from './datasetCache';
import { datasetContentHash, findDuplicate } from './datasetDuplicate';
import { DATASET_PROTOCOL_VERSION, describeSource, type FromDatasetWorker, type ImportFile, type ToDatasetWorker } from './datasetProtocol';
import { formatBytes } from './formatBytes';
import { serializeError } from './protocol';

export { MAX_DATASET_BYTES, MAX_FILE_BYTES, MAX_TOTAL_INPUT_BYTES } from '../core/data/formats/limits';

/** Shares of the progress bar: reading the files, then the importer (unpack + decode), then storing. */
const READ_SHARE = 0.05;
const STORE_SHARE = 0.1;

/** What the handler needs from its environment. */
export interface DatasetHandlerDeps {
  post: (msg: FromDatasetWorker) => void;
  /** Opens the cache; called again after a failure (e.g. storage was blocked, then allowed). */
  openCache: () => Promise<DatasetCache>;
  importFiles: (files: InputFile[], opts: ImportOptions) => Promise<ImportResult>;
  decodeImage: ImageDecoder;
  now?: () => number;
  random?: () => number;
}

const UNCHANGED = 'Stored datasets, the selected dataset and any running training are unchanged.';
/** Hint of a failed import whose files were at fault. */
export const IMPORT_FAILED_HINT = `Fix or remove the files named above and import again. ${UNCHANGED}`;
/** Hint of an import that failed on an error that is not about the files. */
export const IMPORT_CRASHED_HINT = `This looks like a bug in the app; please report it with the kind of files you used. ${UNCHANGED}`;

/** `name`, or `name (2)`, `name (3)`, … so stored sets are told apart in the list. */
export function uniqueName(name: string, taken: readonly string[]): string {
  const used = new Set(taken);
  if (!used.has(name)) return name;
  for (let k = 2; ; k++) if (!used.has(`${name} (${k})`)) return `${name} (${k})`;
}

/** Builds the handler and posts `ready`. */
export function createDatasetHandler(deps: DatasetHandlerDeps): (msg: ToDatasetWorker) => Promise<void> {
  const { post } = deps;
  const now = deps.now ?? Date.now;
  let cache: DatasetCache | null = null;
  let isImporting = false;

  const getCache = async (): Promise<DatasetCache> => (cache ??= await deps.openCache());

  async function postList(id: number | null): Promise<void> {
    const c = await getCache();
    const [datasets, storage] = await Promise.all([c.list(), c.estimate().catch(() => null)]);
    post({ type: 'datasets', id, datasets, storage });
  }

  /** Reads every file; unreadable or oversized ones become skipped entries. */
  async function readAll(id: number, files: readonly ImportFile[], skipped: SkippedFile[]): Promise<InputFile[]> {
    const total = files.reduce((n, f) => n + f.file.size, 0);
    if (total > MAX_TOTAL_INPUT_BYTES) {
      throw new DatasetImportError(`The ${files.length} files add up to ${formatBytes(total)}; at most ${formatBytes(MAX_TOTAL_INPUT_BYTES)} can be read at once. Import a part of them (e.g. the training batches only).`);
    }
    const inputs: InputFile[] = [];
    let done = 0;
    post({ type: 'progress', id, stage: 'Reading files', fraction: 0 });
    for (const f of files) {
      if (f.file.size > MAX_FILE_BYTES) {
        skipped.push({ path: f.path, reason: `is ${formatBytes(f.file.size)}; files over ${formatBytes(MAX_FILE_BYTES)} are not read.` });
      } else {
        try {
          inputs.push({ path: f.path, bytes: new Uint8Array(await f.file.arrayBuffer()) });
        } catch (e) {
          skipped.push({ path: f.path, reason: `could not be read (${e instanceof Error ? e.message : String(e)}); was it moved or deleted after it was chosen?` });
        }
      }
      done += f.file.size;
      post({ type: 'progress', id, stage: 'Reading files', fraction: READ_SHARE * (total > 0 ? done / total : 1) });
    }
    return inputs;
  }

  async function runImport(msg: Extract<ToDatasetWorker, { type: 'import' }>): Promise<void> {
    const { id, files, imageSize } = msg;
    const t0 = now();
    const readSkipped: SkippedFile[] = [];
    if (isImporting) {
      post({ type: 'importFailed', id, error: { name: 'ImportBusyError', message: 'Another import is still running.' }, hint: 'Wait for it to finish, then import these files.', skipped: [] });
      return;
    }
    isImporting = true;
    try {
      if (files.length === 0) throw new DatasetImportError('No files were given. Choose dataset files, a folder of images or a .zip.');
      if (!Number.isInteger(imageSize) || imageSize < 4 || imageSize > 256) throw new RangeError(`Image size ${imageSize} is not a whole number in 4–256.`);
      // Opened first, so a browser without storage fails before minutes of decoding.
      const c = await getCache();
      let inputs: InputFile[] | null = await readAll(id, files, readSkipped);
      if (inputs.length === 0) {
        const names = readSkipped.slice(0, 3).map((s) => s.path).join(', ') + (readSkipped.length > 3 ? ', …' : '');
        throw new DatasetImportError(`None of the files could be read (${names}); see the skipped list for why.`, readSkipped);
      }
      const result = await deps.importFiles(inputs, {
        size: imageSize,
        decodeImage: deps.decodeImage,
        maxImages: maxImagesAt(imageSize),
        onProgress: (stage, fraction) => post({ type: 'progress', id, stage, fraction: READ_SHARE + (1 - READ_SHARE - STORE_SHARE) * fraction }),
      });
      inputs = null; // the encoded bytes can be collected while the set is stored
      const skipped = [...readSkipped, ...result.skipped];
      // The same content stored before (the same files imported again): select that set, store nothing.
      post({ type: 'progress', id, stage: 'Comparing with the stored sets', fraction: 1 - STORE_SHARE });
      const classNames = result.set.labels ? result.classNames : [];
      const contentHash = datasetContentHash({ images: result.set.images, labels: result.set.labels, isSourceTest: result.isSourceTest, imageSize, classNames });
      const stored = await c.list();
      const content = { numImages: result.set.numImages, imageSize, classNames, isLabelled: result.set.labels !== null, contentHash };
      const same = await findDuplicate(content, stored, (datasetId) => c.get(datasetId));
      if (same) {
        post({ type: 'progress', id, stage: 'Comparing with the stored sets', fraction: 1 });
        post({ type: 'imported', id, meta: same, skipped, warnings: result.warnings, elapsedMs: now() - t0, isDuplicate: true, renamedFrom: null });
        return;
      }
      const storing = (fraction: number) => post({ type: 'progress', id, stage: 'Storing in the browser', fraction: 1 - STORE_SHARE * (1 - fraction) });
      storing(0);
      const name = uniqueName(result.name, stored.map((d) => d.name));
      const meta = await c.put({
        id: newDatasetId(now(), deps.random),
        name,
        format: result.format,
        source: describeSource(files),
        numImages: result.set.numImages,
        classNames,
        imageSize,
        numSkipped: skipped.length,
        warnings: result.warnings,
        createdAt: now(),
        contentHash,
        // The importer's statistics (published or computed over every image); put computes them when absent.
        ...(result.normalization ? { normalization: result.normalization } : {}),
      }, { images: result.set.images, labels: result.set.labels, isSourceTest: result.isSourceTest },
      storing);
      post({ type: 'imported', id, meta, skipped, warnings: result.warnings, elapsedMs: now() - t0, isDuplicate: false, renamedFrom: name === result.name ? null : result.name });
      await postList(null);
    } catch (e) {
      const fromImporter = e instanceof DatasetImportError ? e.skipped : [];
      const skipped = [...readSkipped, ...fromImporter.filter((s) => !readSkipped.some((r) => r.path === s.path))];
      const fallback = e instanceof DatasetImportError ? IMPORT_FAILED_HINT : IMPORT_CRASHED_HINT;
      post({ type: 'importFailed', id, error: serializeError(e), hint: hintOf(e, fallback), skipped });
    } finally {
      isImporting = false;
    }
  }

  post({ type: 'ready', protocolVersion: DATASET_PROTOCOL_VERSION });

  return async (msg: ToDatasetWorker) => {
    switch (msg.type) {
      case 'import':
        return runImport(msg);
      case 'list':
        return postList(msg.id).catch((e) => {
          cache = null;
          post({ type: 'error', id: msg.id, error: serializeError(e), hint: hintOf(e, 'Stored datasets could not be listed. Reload the page; the built-in dataset still works.') });
        });
      case 'delete':
        try {
          const existed = await (await getCache()).delete(msg.datasetId);
          post({ type: 'deleted', id: msg.id, datasetId: msg.datasetId, existed });
          await postList(null);
        } catch (e) {
          post({ type: 'error', id: msg.id, error: serializeError(e), hint: hintOf(e, 'The dataset could not be deleted. Reload the page and try again.') });
        }
        return;
      default: {
        const unknown = msg as { type?: unknown; id?: unknown };
        post({ type: 'error', id: typeof unknown.id === 'number' ? unknown.id : null, error: { name: 'ProtocolError', message: `Unknown request "${String(unknown.type)}".` }, hint: 'Reload the page: the dataset worker and the page are from different versions.' });
      }
    }
  };
}

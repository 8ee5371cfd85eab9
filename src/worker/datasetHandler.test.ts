// Protocol tests of the dataset worker's handler: real importers, real cache logic on an in-memory
// store, a pure-JS image decoder, a fake `post`; no Worker, no IndexedDB.
import { describe, expect, it } from 'vitest';
import { createMemoryDatasetKv, type MemoryDatasetKv } from '../../tests/helpers/memoryDatasetKv';
import { importFiles } from '../core/data/formats/importFiles';
import { computeNormalization, KNOWN_NORMALIZATIONS } from '../core/data/normalization';
import { nodeImageDecoder } from '../core/data/formats/nodeImageDecoder';
import { makeTarGz } from '../core/data/formats/testing/archives';
import { makePng, patternRgba } from '../core/data/formats/testing/images';
import { cifarRecordHwc, makeCifarBin } from '../core/data/formats/testing/rawFormats';
import { createDatasetCache } from './datasetCache';
import { createDatasetHandler, IMPORT_FAILED_HINT } from './datasetHandler';
import type { FromDatasetWorker, ImportFile } from './datasetProtocol';
import { DatasetStorageError } from './datasetIdb';

const blob = (bytes: Uint8Array): Blob => new Blob([bytes as Uint8Array<ArrayBuffer>]);
const file = (path: string, bytes: Uint8Array): ImportFile => ({ path, file: blob(bytes) });
/** A CIFAR-10 batch of `n` records with labels (i + offset) % 10. */
const cifar10Batch = (n: number, offset = 0) => makeCifarBin('cifar10', Array.from({ length: n }, (_, i) => (i + offset) % 10));
/** cifar-10-binary.tar.gz-like: `numBatches` data batches of `n` (labels offset by the batch number) + a test batch. */
const cifar10TarGz = (n: number, numBatches: number) => makeTarGz([
  ...Array.from({ length: numBatches }, (_, b) => ({ path: `cifar-10-batches-bin/data_batch_${b + 1}.bin`, bytes: cifar10Batch(n, b + 1) })),
  { path: 'cifar-10-batches-bin/test_batch.bin', bytes: cifar10Batch(n, 7) },
]);
const pngFile = (seed: number) => makePng(20, 16, patternRgba(20, 16, seed));

function setup(kv: MemoryDatasetKv = createMemoryDatasetKv(), openCache?: () => Promise<ReturnType<typeof createDatasetCache>>) {
  const msgs: FromDatasetWorker[] = [];
  let t = 1_700_000_000_000;
  const handle = createDatasetHandler({
    post: (m) => msgs.push(m),
    openCache: openCache ?? (async () => createDatasetCache(kv)),
    importFiles,
    decodeImage: nodeImageDecoder,
    now: () => (t += 250),
  });
  const of = <T extends FromDatasetWorker['type']>(type: T) => msgs.filter((m): m is Extract<FromDatasetWorker, { type: T }> => m.type === type);
  return { msgs, handle, kv, of };
}

describe('dataset handler', () => {
  it('posts ready, imports CIFAR-10 batches with progress, stores them and lists them', async () => {
    const { msgs, handle, kv, of } = setup();
    expect(msgs[0]).toEqual({ type: 'ready', protocolVersion: 1 });
    await handle({ type: 'import', id: 4, imageSize: 32, files: [file('cifar-10-binary.tar.gz', cifar10TarGz(30, 2))] });

    const [done] = of('imported');
    expect(of('importFailed')).toEqual([]);
    expect(done).toMatchObject({ id: 4, skipped: [] });
    expect(done!.meta).toMatchObject({
      name: 'cifar-10-binary', format: 'cifar10', source: 'cifar-10-binary.tar.gz', numImages: 90, isLabelled: true,
      imageSize: 32, numSourceTest: 30, numSkipped: 0,
    });
    expect(done!.meta.classNames).toHaveLength(10);
    expect(done!.meta.classNames[3]).toBe('cat');
    expect(done!.meta.normalization).toEqual(KNOWN_NORMALIZATIONS.cifar10); // published statistics, kept in the meta

    const stages = new Set(of('progress').map((p) => p.stage));
    expect(stages.has('Reading files')).toBe(true);
    expect(stages.has('Storing in the browser')).toBe(true);
    const fractions = of('progress').map((p) => p.fraction);
    expect(of('progress').every((p) => p.id === 4)).toBe(true);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b)); // one bar, never going back
    expect([fractions[0], fractions.at(-1)]).toEqual([0, 1]);
    expect(of('datasets').at(-1)!.datasets.map((d) => d.id)).toEqual([done!.meta.id]);

    // The stored pixels are the CIFAR planes in HWC order.
    const stored = await createDatasetCache(kv).get(done!.meta.id);
    for (const r of [0, 1, 29]) expect(Array.from(stored.images.subarray(r * 3072, (r + 1) * 3072))).toEqual(Array.from(cifarRecordHwc(r)));
    expect(Array.from(stored.labels!.subarray(0, 3))).toEqual([1, 2, 3]);
  });

  it('imports a class folder and lists the non-image and empty files as skipped', async () => {
    const { handle, of, kv } = setup();
    const files = [
      file('pets/cat/a.png', pngFile(0)), file('pets/cat/b.png', pngFile(1)),
      file('pets/dog/c.png', pngFile(2)), file('pets/dog/d.png', pngFile(3)),
      file('pets/dog/notes.txt', new TextEncoder().encode('not an image')),
      file('pets/dog/empty.png', new Uint8Array(0)),
    ];
    await handle({ type: 'import', id: 1, imageSize: 16, files });
    const [done] = of('imported');
    expect(done!.meta).toMatchObject({ name: 'pets', format: 'image-folder', numImages: 4, classNames: ['cat', 'dog'], imageSize: 16, numSkipped: 2, source: 'pets/ (6 files)' });
    expect(done!.skipped.map((s) => s.path).sort()).toEqual(['pets/dog/empty.png', 'pets/dog/notes.txt']);
    expect(done!.skipped.find((s) => s.path.endsWith('empty.png'))!.reason).toMatch(/empty \(0 bytes\)/);
    // An image folder's statistics are computed over exactly the stored pixels.
    const stored = await createDatasetCache(kv).get(done!.meta.id);
    expect(done!.meta.normalization).toEqual(computeNormalization({ images: stored.images, numImages: 4 }));

  });

  it('answers an import of already-stored content with that set, and names a set with a taken name "(2)", saying so', async () => {
    const { handle, of, kv } = setup();
    const files = [file('pets/cat/a.png', pngFile(0)), file('pets/cat/b.png', pngFile(1)), file('pets/dog/c.png', pngFile(2)), file('pets/dog/d.png', pngFile(3))];
    await handle({ type: 'import', id: 1, imageSize: 16, files });
    const first = of('imported')[0]!;
    expect(first).toMatchObject({ isDuplicate: false, renamedFrom: null, meta: { name: 'pets', contentHash: expect.stringMatching(/^[0-9a-f]{16}$/) } });
    const numChunks = kv.chunks.size;

    // The same folder again, with a stray file and under another folder name: the same content.
    const again = [...files.map((f) => ({ ...f, path: f.path.replace(/^pets/, 'pets-copy') })), file('pets-copy/readme.txt', new TextEncoder().encode('hi'))];
    await handle({ type: 'import', id: 2, imageSize: 16, files: again });
    expect(of('importFailed')).toEqual([]);
    expect(of('imported')[1]).toMatchObject({ id: 2, isDuplicate: true, renamedFrom: null, meta: { id: first.meta.id, name: 'pets' } });
    expect(of('imported')[1]!.skipped.map((x) => x.path)).toEqual(['pets-copy/readme.txt']);
    expect(kv.chunks.size).toBe(numChunks);
    expect(of('progress').filter((p) => p.id === 2).at(-1)!.fraction).toBe(1);

    // Other content under the taken name: stored as "pets (2)", and the message says why.
    await handle({ type: 'import', id: 3, imageSize: 16, files: files.slice(0, 3) });
    expect(of('imported')[2]).toMatchObject({ isDuplicate: false, renamedFrom: 'pets', meta: { name: 'pets (2)', numImages: 3 } });
    // The same images at another size are other content too.
    await handle({ type: 'import', id: 4, imageSize: 8, files });
    expect(of('imported')[3]).toMatchObject({ isDuplicate: false, renamedFrom: 'pets', meta: { name: 'pets (3)', imageSize: 8 } });
    expect(of('datasets').at(-1)!.datasets).toHaveLength(3);
  });

  it('finds a duplicate of a set stored before content hashes existed', async () => {
    const { handle, of, kv } = setup();
    await handle({ type: 'import', id: 1, imageSize: 8, files: [file('data_batch_1.bin', cifar10Batch(6))] });
    const stored = of('imported')[0]!.meta;
    const old = { ...stored };
    delete old.contentHash;
    await kv.putMeta(old);
    await handle({ type: 'import', id: 2, imageSize: 8, files: [file('data_batch_1.bin', cifar10Batch(6))] });
    expect(of('imported')[1]).toMatchObject({ isDuplicate: true, meta: { id: stored.id } });
    await handle({ type: 'import', id: 3, imageSize: 8, files: [file('data_batch_1.bin', cifar10Batch(6, 1))] }); // other labels
    expect(of('imported')[2]).toMatchObject({ isDuplicate: false, renamedFrom: 'CIFAR-10', meta: { name: 'CIFAR-10 (2)' } });
  });

  it('refuses a corrupt archive naming the file, and leaves the stored sets as they were', async () => {
    const { handle, of, kv } = setup();
    await handle({ type: 'import', id: 1, imageSize: 32, files: [file('data_batch_1.bin', cifar10Batch(12))] });
    const before = [...kv.chunks.keys()];
    const garbage = new Uint8Array(4000).map((_, i) => (i * 7919) & 0xff);
    garbage.set([0x1f, 0x8b, 8, 0], 0); // a gzip header followed by nonsense
    await handle({ type: 'import', id: 2, imageSize: 32, files: [file('cifar-10-binary.tar.gz', garbage)] });
    const [failed] = of('importFailed');
    expect(failed).toMatchObject({ id: 2, hint: IMPORT_FAILED_HINT, error: { name: 'DatasetImportError' } });
    expect(failed!.error.message).toContain('cifar-10-binary.tar.gz');
    expect(failed!.skipped.map((s) => s.path)).toContain('cifar-10-binary.tar.gz');
    expect([...kv.chunks.keys()]).toEqual(before);
    expect(of('imported')).toHaveLength(1);
  });

  it('lists unreadable files as skipped and fails when none can be read', async () => {
    const { handle, of } = setup();
    const broken = { path: 'gone.bin', file: { size: 10, arrayBuffer: () => Promise.reject(new Error('NotReadableError')) } as unknown as Blob };
    await handle({ type: 'import', id: 1, imageSize: 32, files: [broken, file('data_batch_1.bin', cifar10Batch(3))] });
    expect(of('imported')[0]!.skipped).toEqual([{ path: 'gone.bin', reason: expect.stringMatching(/could not be read \(NotReadableError\)/) }]);
    await handle({ type: 'import', id: 2, imageSize: 32, files: [broken] });
    expect(of('importFailed')[0]).toMatchObject({ id: 2, error: { message: 'None of the files could be read (gone.bin); see the skipped list for why.' }, skipped: [{ path: 'gone.bin' }] });
  });

  it('runs one import at a time', async () => {
    const { handle, of } = setup();
    const first = handle({ type: 'import', id: 1, imageSize: 32, files: [file('data_batch_1.bin', cifar10Batch(20))] });
    const second = handle({ type: 'import', id: 2, imageSize: 32, files: [file('data_batch_2.bin', cifar10Batch(20))] });
    await Promise.all([first, second]);
    expect(of('importFailed')).toEqual([expect.objectContaining({ id: 2, error: expect.objectContaining({ name: 'ImportBusyError' }) })]);
    expect(of('imported').map((m) => m.id)).toEqual([1]);
  });

  it('reports a full quota with its hint and stores nothing', async () => {
    const kv = createMemoryDatasetKv();
    kv.quota = { usage: 0, quota: 50_000 };
    const { handle, of } = setup(kv);
    await handle({ type: 'import', id: 1, imageSize: 32, files: [file('data_batch_1.bin', cifar10Batch(20))] });
    expect(of('importFailed')[0]).toMatchObject({ error: { name: 'DatasetQuotaError' }, hint: expect.stringMatching(/Delete stored datasets/) });
    expect(kv.chunks.size).toBe(0);
  });

  it('reports blocked storage on list and import, and recovers once storage opens', async () => {
    const kv = createMemoryDatasetKv();
    let isBlocked = true;
    const { handle, of } = setup(kv, async () => {
      if (isBlocked) throw new DatasetStorageError('IndexedDB could not open the dataset store: denied');
      return createDatasetCache(kv);
    });
    await handle({ type: 'list', id: 1 });
    expect(of('error')[0]).toMatchObject({ id: 1, error: { name: 'DatasetStorageError' }, hint: expect.stringMatching(/Allow site data/) });
    await handle({ type: 'import', id: 2, imageSize: 32, files: [file('data_batch_1.bin', cifar10Batch(2))] });
    expect(of('importFailed')[0]).toMatchObject({ id: 2, error: { name: 'DatasetStorageError' } });
    isBlocked = false;
    await handle({ type: 'list', id: 3 });
    expect(of('datasets')[0]).toMatchObject({ id: 3, datasets: [] });
  });

  it('deletes a set and posts the new list', async () => {
    const { handle, of } = setup();
    await handle({ type: 'import', id: 1, imageSize: 8, files: [file('data_batch_1.bin', cifar10Batch(4))] });
    const id = of('imported')[0]!.meta.id;
    await handle({ type: 'delete', id: 2, datasetId: id });
    expect(of('deleted')[0]).toEqual({ type: 'deleted', id: 2, datasetId: id, existed: true });
    expect(of('datasets').at(-1)!.datasets).toEqual([]);
  });
});

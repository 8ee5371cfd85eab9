// End-to-end: "bring your own images" in real Chromium. Real files are built in the test (CIFAR-10
// .tar.gz with ustar headers, IDX .gz, a class folder of PNG + JPEG + WebP with a stray text file,
// an unlabelled .zip) and uploaded through the Datasets panel's inputs; the panel lists each with
// its count and classes; a tiny run trains on the CIFAR set and on the unlabelled zip (the kNN
// panel says why it is hidden); corrupt uploads show a message naming the file while the selected
// dataset and the running training are untouched; importing the same archive again selects the
// stored set instead of storing a copy; a reload keeps the stored sets; delete works.
// Each row names its normalisation: published statistics for CIFAR-10 and MNIST, computed for a folder.
import { expect, test, type Page } from '@playwright/test';
import { gzipSync } from 'fflate';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTarGz, makeZip } from '../src/core/data/formats/testing/archives';
import { makeJpeg, makePng, patternRgba } from '../src/core/data/formats/testing/images';
import { idxPixels, makeCifarBin, makeIdxImages, makeIdxLabels } from '../src/core/data/formats/testing/rawFormats';
import { tinyQuery, watchConsole } from './helpers';

const labels = (n: number, numClasses: number, offset = 0) => Array.from({ length: n }, (_, i) => (i + offset) % numClasses);
/** cifar-10-binary.tar.gz as downloaded, shrunk: data_batch_1 and test_batch of `n` images each, plus the class names. */
const cifar10TarGz = (n: number) => makeTarGz([
  { path: 'cifar-10-batches-bin/data_batch_1.bin', bytes: makeCifarBin('cifar10', labels(n, 10, 1)) },
  { path: 'cifar-10-batches-bin/test_batch.bin', bytes: makeCifarBin('cifar10', labels(n, 10, 7)) },
  { path: 'cifar-10-batches-bin/batches.meta.txt', bytes: new TextEncoder().encode('airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n') },
]);
/** An MNIST-style IDX pair of `n` 28×28 images. */
const idxPair = (n: number) => ({ images: makeIdxImages(idxPixels(n, 28, 28), n, 28, 28), labels: makeIdxLabels(labels(n, 10)) });
const pngFile = (seed: number, w = 20, h = 16) => makePng(w, h, patternRgba(w, h, seed));

const rows = (page: Page) => page.getByTestId('dataset-row');
const rowNamed = (page: Page, name: string) => rows(page).filter({ has: page.getByTestId('dataset-name').getByText(name, { exact: true }) });
const points = async (page: Page, id: string) => Number(await page.getByTestId(id).getAttribute('data-points'));

/** Uploads `files` through the plain file input and waits for the import's report. */
async function importFiles(page: Page, files: { name: string; buffer: Buffer }[]): Promise<void> {
  await page.getByTestId('dataset-file-input').setInputFiles(files.map((f) => ({ ...f, mimeType: 'application/octet-stream' })));
  await expect(page.getByTestId('dataset-progress')).toHaveCount(0, { timeout: 120_000 });
}

/** WebP files encoded by the page's own canvas (Node has no WebP encoder). */
async function webpFiles(page: Page, count: number): Promise<Buffer[]> {
  const arrays = await page.evaluate(async (n) => {
    const out: number[][] = [];
    for (let i = 0; i < n; i++) {
      const canvas = document.createElement('canvas');
      canvas.width = 18;
      canvas.height = 14;
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = `rgb(${40 * i}, 120, ${255 - 40 * i})`;
      ctx.fillRect(0, 0, 18, 14);
      ctx.fillStyle = '#fff';
      ctx.fillRect(3 + i, 3, 6, 6);
      const blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob failed'))), 'image/webp', 0.9));
      if (blob.type !== 'image/webp') throw new Error(`this browser encoded ${blob.type}, not WebP`);
      out.push(Array.from(new Uint8Array(await blob.arrayBuffer())));
    }
    return out;
  }, count);
  return arrays.map((a) => Buffer.from(a));
}

test('imports CIFAR, IDX, an image folder and a zip, trains on two, survives bad files and a reload', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  const tmp = mkdtempSync(join(tmpdir(), 'dsui-e2e-'));
  try {
    await page.goto(tinyQuery({ maxSteps: 2 }));
    await expect(page.getByTestId('status-backend')).toContainText('webgpu', { timeout: 120_000 });
    await expect(rows(page)).toHaveCount(1); // the built-in set, once the stored sets are listed
    await expect(page.getByTestId('dataset-list')).not.toContainText('Reading the stored datasets');

    // --- CIFAR-10 .tar.gz: 40 training + 40 test images --------------------------------------
    await importFiles(page, [{ name: 'cifar-10-binary.tar.gz', buffer: Buffer.from(cifar10TarGz(40)) }]);
    await expect(page.getByTestId('dataset-report')).toContainText('Imported “cifar-10-binary”');
    const cifar = rowNamed(page, 'cifar-10-binary');
    await expect(cifar).toHaveAttribute('data-count', '80');
    await expect(cifar).toHaveAttribute('data-classes', '10');
    await expect(cifar).toHaveAttribute('data-selected', 'true');
    await expect(cifar.getByTestId('dataset-summary')).toContainText('80 images · 10 classes · 16×16');
    await expect(cifar.getByTestId('dataset-summary')).toContainText('40 marked test');
    await expect(cifar.getByTestId('dataset-normalization')).toContainText("mean 0.491 0.482 0.447, std 0.247 0.243 0.261 (CIFAR-10's published statistics)");
    await expect(rows(page).filter({ hasText: 'procedural shapes' }).getByTestId('dataset-normalization')).toContainText("CIFAR-10's statistics");

    // Train two steps on it.
    await page.getByTestId('btn-start').click();
    await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 240_000 });
    expect(await points(page, 'chart-loss')).toBeGreaterThanOrEqual(2);
    await expect(page.getByTestId('knn-value')).toContainText('%');

    // --- IDX (.gz), train + t10k -----------------------------------------------------------
    const train = idxPair(50);
    const test10k = idxPair(10);
    await importFiles(page, [
      { name: 'train-images-idx3-ubyte.gz', buffer: Buffer.from(gzipSync(train.images)) },
      { name: 'train-labels-idx1-ubyte.gz', buffer: Buffer.from(gzipSync(train.labels)) },
      { name: 't10k-images-idx3-ubyte', buffer: Buffer.from(test10k.images) },
      { name: 't10k-labels-idx1-ubyte', buffer: Buffer.from(test10k.labels) },
    ]);
    await expect(page.getByTestId('dataset-report')).toHaveAttribute('data-kind', 'imported');
    const idxRow = rows(page).filter({ has: page.getByTestId('dataset-summary').getByText('IDX', { exact: false }) });
    await expect(idxRow).toHaveAttribute('data-count', '60');
    await expect(idxRow).toHaveAttribute('data-classes', '10');
    await expect(idxRow.getByTestId('dataset-summary')).toContainText('10 marked test');
    await expect(idxRow.getByTestId('dataset-normalization')).toContainText("mean 0.131 0.131 0.131, std 0.308 0.308 0.308 (MNIST's published statistics)");

    // --- The CIFAR archive again: the same content is not stored twice, the stored set is selected ---
    await expect(idxRow).toHaveAttribute('data-selected', 'true');
    await importFiles(page, [{ name: 'cifar-10-binary.tar.gz', buffer: Buffer.from(cifar10TarGz(40)) }]);
    await expect(page.getByTestId('dataset-report')).toContainText('Already imported as “cifar-10-binary”');
    await expect(page.getByTestId('dataset-duplicate')).toContainText('nothing new was stored. Selected for the next run.');
    await expect(rows(page)).toHaveCount(3);
    await expect(cifar).toHaveAttribute('data-selected', 'true');

    // --- A folder with class sub-folders (PNG, JPEG, WebP) and a stray text file ------------
    const root = join(tmp, 'pets');
    const webps = await webpFiles(page, 4);
    const jpegs = await Promise.all([0, 1, 2, 3].map((i) => makeJpeg(24, 24, patternRgba(24, 24, i), 90)));
    for (const [cls, ext, files] of [['cat', 'png', [0, 1, 2, 3].map((i) => pngFile(i))], ['dog', 'jpg', jpegs], ['fox', 'webp', webps]] as const) {
      mkdirSync(join(root, cls), { recursive: true });
      files.forEach((bytes, i) => writeFileSync(join(root, cls, `${cls}_${i}.${ext}`), bytes));
    }
    writeFileSync(join(root, 'fox', 'notes.txt'), 'field notes, not an image');
    await page.getByTestId('dataset-folder-input').setInputFiles(root);
    await expect(page.getByTestId('dataset-report')).toContainText('Imported “pets”', { timeout: 120_000 });
    const pets = rowNamed(page, 'pets');
    await expect(pets).toHaveAttribute('data-count', '12');
    await expect(pets).toHaveAttribute('data-classes', '3');
    await expect(pets.getByTestId('dataset-normalization')).toContainText('(computed over its images)');
    await expect(page.getByTestId('dataset-skipped-item')).toHaveCount(1);
    await expect(page.getByTestId('dataset-skipped-item')).toContainText('pets/fox/notes.txt');
    await expect(page.getByTestId('dataset-skipped-item')).toContainText('not an image');

    // --- An unlabelled .zip of 24 PNGs -------------------------------------------------------
    const flat: Record<string, Uint8Array> = {};
    for (let i = 0; i < 24; i++) flat[`street/img_${i}.png`] = pngFile(i, 16, 16);
    await importFiles(page, [{ name: 'street.zip', buffer: Buffer.from(makeZip(flat)) }]);
    const street = rowNamed(page, 'street');
    await expect(street).toHaveAttribute('data-count', '24');
    await expect(street.getByTestId('dataset-summary')).toContainText('unlabelled');
    await expect(page.getByTestId('dataset-warnings')).toContainText('unlabelled');
    await expect(street).toHaveAttribute('data-selected', 'true');
    await expect(rows(page)).toHaveCount(5);

    // --- Train on the unlabelled set; bad uploads meanwhile change nothing -------------------
    await page.getByTestId('btn-start').click();
    await expect(page.getByTestId('run-state')).not.toHaveText('done');
    const garbage = Buffer.alloc(5000, 0x5a);
    garbage.set([0x1f, 0x8b, 8, 0]);
    await importFiles(page, [{ name: 'broken.tar.gz', buffer: garbage }]);
    await expect(page.getByTestId('dataset-error')).toContainText('broken.tar.gz');
    await importFiles(page, [{ name: 'empty.zip', buffer: Buffer.from(makeZip({ 'readme.txt': new TextEncoder().encode('no images here') })) }]);
    await expect(page.getByTestId('dataset-error-message')).toContainText('No usable images in empty.zip');
    await expect(page.getByTestId('dataset-skipped-item')).toContainText('readme.txt');
    await expect(rows(page)).toHaveCount(5);
    await expect(street).toHaveAttribute('data-selected', 'true');
    await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 240_000 });
    expect(await points(page, 'chart-loss')).toBeGreaterThanOrEqual(2);
    await expect(page.getByTestId('knn-hidden')).toContainText('“street” has no class labels');
    await page.screenshot({ path: test.info().outputPath('datasets-trained.png'), fullPage: true });

    // --- Reload: the sets come back from the browser's storage, the selection from the URL ---
    await page.reload();
    await expect(rows(page)).toHaveCount(5);
    await expect(rowNamed(page, 'street')).toHaveAttribute('data-selected', 'true');
    await expect(rowNamed(page, 'cifar-10-binary')).toHaveAttribute('data-count', '80');
    await expect(page.getByTestId('knn-hidden')).toBeVisible();

    // --- Delete the IDX set ------------------------------------------------------------------
    const idxAgain = rows(page).filter({ has: page.getByTestId('dataset-summary').getByText('IDX', { exact: false }) });
    await idxAgain.getByTestId('dataset-delete').click();
    await idxAgain.getByTestId('dataset-delete-confirm').click();
    await expect(rows(page)).toHaveCount(4);
    await page.reload();
    await expect(rows(page)).toHaveCount(4);
    expect(consoleWatch.errors).toEqual([]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

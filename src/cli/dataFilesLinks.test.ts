// `--data` folder walks and symlinks: a class folder with links back to its parent (two of them make
// an unguarded walk exponential) is read once — the links are listed as skipped and the Dataset is
// that of the same folder without links.
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../core/config/runConfig';
import { fingerprintDataset } from '../core/data/fingerprint';
import { pngClassFolder, writeFiles } from '../../tests/helpers/datasetFiles';
import { importDataFiles } from './dataFiles';
import { createOutput } from './output';

const CONFIG: RunConfig = { ...DEFAULT_CONFIG, imageSize: 16, batchSize: 4, numTrainImages: 200, numTestImages: 4, knnEvery: 0 };
const quiet = () => createOutput({ isJson: false, isQuiet: true, isVerbose: false }, { write: () => true }, { write: () => true });
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hvp-data-links-'));
  const files = pngClassFolder({ root: 'toys', classes: ['cat', 'dog'], perClass: 8 });
  writeFiles(join(dir, 'plain'), files);
  writeFiles(join(dir, 'linked'), files);
  symlinkSync('..', join(dir, 'linked', 'toys', 'cat', 'up'));
  symlinkSync('..', join(dir, 'linked', 'toys', 'dog', 'up'));
  symlinkSync(join(dir, 'linked', 'toys', 'cat'), join(dir, 'linked', 'toys', 'dog', 'cats'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('importDataFiles and folder links', () => {
  it('reads a folder with links back to its parent once, listing the links as skipped', async () => {
    const plain = await importDataFiles([join(dir, 'plain', 'toys')], CONFIG, quiet());
    const linked = await importDataFiles([join(dir, 'linked', 'toys')], CONFIG, quiet());
    expect(linked.result.skipped.map((s) => s.path)).toEqual(['toys/cat/up', 'toys/dog/cats', 'toys/dog/up']);
    expect(linked.result.skipped[0]!.reason).toMatch(/is a folder already read/);
    expect(linked.result.set.numImages).toBe(16);
    expect(fingerprintDataset(linked.dataset)).toEqual(fingerprintDataset(plain.dataset));
  }, 30_000);
});

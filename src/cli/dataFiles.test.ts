// `--data` reading, in-process (tests/cliData.test.ts runs the whole CLI): folder members are named
// from the folder as a browser folder picker names them and walked in name order, sizes come from
// stat before any read (a sparse file past the per-file limit is skipped unread, FIFOs and sockets
// are refused), the skipped report lists ten and counts the rest, and an empty result says why.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../core/config/runConfig';
import { importFiles } from '../core/data/formats/importFiles';
import { MAX_FILE_BYTES } from '../core/data/formats/limits';
import { nodeImageDecoder } from '../core/data/formats/nodeImageDecoder';
import { fingerprintDataset } from '../core/data/fingerprint';
import { buildRunDataset } from '../core/data/runDataset';
import { pngClassFolder, writeFiles } from '../../tests/helpers/datasetFiles';
import { CliError } from './cliError';
import { importDataFiles } from './dataFiles';
import { createOutput } from './output';

const CONFIG: RunConfig = { ...DEFAULT_CONFIG, imageSize: 16, batchSize: 4, numTrainImages: 200, numTestImages: 10, knnEvery: 0 };
let dir = '';

/** A CliOutput that keeps what goes to stderr. */
function captured() {
  let stderr = '';
  const out = createOutput({ isJson: false, isQuiet: false, isVerbose: false }, { write: () => true }, { write: (t: string) => (stderr += t) });
  return { out, stderr: () => stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hvp-data-files-'));
  writeFiles(dir, pngClassFolder({ root: 'toys', classes: ['b', 'a'], perClass: 12 }));
  for (let i = 0; i < 13; i++) writeFileSync(join(dir, 'toys', 'a', `note${String(i).padStart(2, '0')}.txt`), 'junk');
  mkdirSync(join(dir, 'big'));
  writeFileSync(join(dir, 'big', 'huge.bin'), '');
  truncateSync(join(dir, 'big', 'huge.bin'), MAX_FILE_BYTES + 1); // sparse: stat says > limit, no disk used
  execFileSync('mkfifo', [join(dir, 'big', 'pipe')]);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('importDataFiles', () => {
  it('reads a folder as the browser does (names from the folder, name order) and reports skipped files ten at a time', async () => {
    const { out, stderr } = captured();
    const { result, dataset } = await importDataFiles([join(dir, 'toys')], CONFIG, out);
    expect(result.name).toBe('toys');
    expect(result.classNames).toEqual(['a', 'b']);
    expect(result.skipped).toHaveLength(13);
    expect(result.skipped[0]!.path).toBe('toys/a/note00.txt');
    const text = stderr();
    expect(text).toMatch(/13 file\(s\) skipped, as the browser's import would:\n {2}toys\/a\/note00\.txt: /);
    expect(text).toContain('toys/a/note09.txt');
    expect(text).not.toContain('toys/a/note10.txt');
    expect(text).toContain('(and 3 more)');

    // The same members, given to the importer as a browser folder picker lists them, give the same Dataset.
    const files = Object.entries(pngClassFolder({ root: 'toys', classes: ['b', 'a'], perClass: 12 })).map(([path, bytes]) => ({ path, bytes }));
    const browser = await importFiles(files, { size: 16, decodeImage: nodeImageDecoder });
    const expected = buildRunDataset({ name: browser.name, format: browser.format, images: browser.set.images, labels: browser.set.labels, numImages: browser.set.numImages, imageSize: 16, classNames: browser.classNames, isSourceTest: browser.isSourceTest }, CONFIG);
    expect(fingerprintDataset(dataset)).toEqual(fingerprintDataset(expected));
  });

  it('keeps a given name (a resume keeps the checkpoint\'s)', async () => {
    const { dataset } = await importDataFiles([join(dir, 'toys')], CONFIG, captured().out, 'my toys');
    expect(dataset.name).toBe('my toys');
  });

  it('skips files over the size limit unread and refuses FIFOs; nothing usable is a CliError with the reasons', async () => {
    let caught: unknown;
    try {
      await importDataFiles([join(dir, 'big')], CONFIG, captured().out);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CliError);
    const message = (caught as Error).message;
    expect(message).toMatch(/None of the --data paths could be read/);
    expect(message).toMatch(/big\/huge\.bin: is 1\.00 GB; files over 1\.00 GB are not read/);
    expect(message).toMatch(/big\/pipe: is not a regular file/);
  });

  it('a set too small for the batch is a CliError naming the --set to change', async () => {
    let caught: unknown;
    try {
      await importDataFiles([join(dir, 'toys')], { ...CONFIG, batchSize: 64 }, captured().out);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CliError);
    expect((caught as CliError).message).toMatch(/a batch of 64 needs at least 64 training images/);
    expect((caught as CliError).hint).toMatch(/“Batch size” \(--set\)/);
  });
});

/**
 * Peak memory of importing the worst crafted files (issue 16): each is imported through
 * importFiles in a child Node process (bench/untrusted: bundle.mjs builds the importers, importChild.mjs
 * reports the peak resident memory, VmHWM) and must stay under 256 MB. Linux only (/proc).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lyingGzip, zipOfZips } from './testing/crafted';
import { makePngHeaderOnly } from './testing/images';

const benchDir = resolve(__dirname, '../../../../bench/untrusted');
const isLinux = existsSync('/proc/self/status');
let bundleDir = '';
let filesDir = '';

describe.runIf(isLinux)('peak memory of crafted files, in a child process', () => {
  beforeAll(async () => {
    const { bundle } = (await import(/* @vite-ignore */ join(benchDir, 'bundle.mjs'))) as { bundle(root: string, entries: Record<string, string>): Promise<string> };
    const formats = 'src/core/data/formats';
    bundleDir = await bundle(resolve(benchDir, '../..'), { importFiles: `${formats}/importFiles.ts`, nodeImageDecoder: `${formats}/nodeImageDecoder.ts` });
    filesDir = mkdtempSync(join(tmpdir(), 'hvp-untrusted-test-'));
  }, 30_000);
  afterAll(() => {
    for (const dir of [bundleDir, filesDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['lying-trailer.gz', () => lyingGzip(600), /unpacks to more than the 32 MB this import may unpack/],
    ['zip-of-zips.zip', () => zipOfZips(10, 40), /part0\.zip: says it unpacks to 40 MB, more than the 32 MB/],
    ['ihdr.png', () => makePngHeaderOnly(8000, 5000), /is damaged or crafted: its header says 8000×5000 pixels/],
  ])('%s stays under 256 MB', (name, make, message) => {
    const file = join(filesDir, name);
    writeFileSync(file, make());
    const child = spawnSync(process.execPath, [join(benchDir, 'importChild.mjs'), bundleDir, file], { encoding: 'utf8', timeout: 20_000 });
    const result = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { peakMB: number; outcome: string };
    expect(result.outcome).toMatch(message);
    expect(result.peakMB).toBeLessThan(256);
  }, 20_000);
});

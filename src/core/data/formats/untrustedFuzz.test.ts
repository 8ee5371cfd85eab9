/**
 * Seeded fuzz of the dataset importers (issue 16): real archives of each kind the app imports — a
 * CIFAR-10 .tar.gz, a .zip of class folders of PNGs, gzipped IDX files — are truncated, have bytes
 * flipped, get lying size fields, and are nested in further archives. Every outcome must be either
 * an import of well-formed images or a UserError whose message names the file; never another
 * exception, never a hang (the test's timeout), and never more pixels than the files hold.
 * Same seed, same cases, so a failure reproduces.
 */
import { gzipSync, strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../random';
import { isUserError } from '../../userError';
import { importFiles } from './importFiles';
import { nodeImageDecoder } from './nodeImageDecoder';
import { makeTarGz } from './testing/archives';
import { makePng, patternRgba } from './testing/images';
import { idxPixels, makeCifarBin, makeIdxImages, makeIdxLabels } from './testing/rawFormats';
import type { InputFile } from './types';

const SEED = 16;
const CASES_PER_SEED = 200;

/** The unmutated inputs, one import each. */
function seeds(): Array<{ name: string; files: InputFile[] }> {
  const labels = Array.from({ length: 30 }, (_, i) => i % 10);
  const cifar = makeTarGz([
    { path: 'cifar-10-batches-bin/', type: '5' },
    { path: 'cifar-10-batches-bin/batches.meta.txt', bytes: strToU8('c0\nc1\nc2\nc3\nc4\nc5\nc6\nc7\nc8\nc9\n') },
    { path: 'cifar-10-batches-bin/data_batch_1.bin', bytes: makeCifarBin('cifar10', labels) },
    { path: 'cifar-10-batches-bin/test_batch.bin', bytes: makeCifarBin('cifar10', labels.slice(0, 10)) },
  ]);
  const png = (s: number) => makePng(6, 6, patternRgba(6, 6, s));
  const zip = zipSync({ 'set/cats/a.png': png(1), 'set/cats/b.png': png(2), 'set/dogs/c.png': png(3), 'set/dogs/d.png': png(4) });
  const idx = [
    { path: 'train-images-idx3-ubyte.gz', bytes: gzipSync(makeIdxImages(idxPixels(12, 5, 5), 12, 5, 5)) },
    { path: 'train-labels-idx1-ubyte.gz', bytes: gzipSync(makeIdxLabels(Array.from({ length: 12 }, (_, i) => i % 3))) },
  ];
  return [
    { name: 'cifar .tar.gz', files: [{ path: 'cifar-10-binary.tar.gz', bytes: cifar }] },
    { name: 'png class folders .zip', files: [{ path: 'set.zip', bytes: zip }] },
    { name: 'IDX .gz pair', files: idx },
  ];
}

/** One seeded mutation of `bytes` and its name (for the failure message). */
function mutate(bytes: Uint8Array, rng: Rng): [string, Uint8Array] {
  const out = Uint8Array.from(bytes);
  const at = (n: number) => rng.int(Math.max(1, n));
  switch (rng.int(6)) {
    case 0: {
      const n = at(bytes.length);
      return [`truncated to ${n} bytes`, out.subarray(0, n)];
    }
    case 1: {
      const flips = 1 + rng.int(8);
      for (let i = 0; i < flips; i++) out[at(out.length)] ^= 1 << rng.int(8);
      return [`${flips} bits flipped`, out];
    }
    case 2: { // a size field that lies: 4 bytes somewhere in the first 64 or the last 8 (gzip trailer, zip/tar headers)
      const near = rng.int(2) === 0 ? at(Math.min(60, out.length - 4)) : Math.max(0, out.length - 4 - rng.int(5));
      new DataView(out.buffer).setUint32(near, rng.int(2) === 0 ? 0xffffffff : rng.int(1 << 30), true);
      return [`a 32-bit field at ${near} rewritten`, out];
    }
    case 3:
      return ['gzipped again', gzipSync(bytes)];
    case 4:
      return ['inside a zip inside a zip', zipSync({ 'outer/inner.zip': zipSync({ 'data.bin': bytes }) })];
    default: {
      const n = at(64);
      return [`${n} random bytes appended`, new Uint8Array([...bytes, ...Array.from({ length: n }, () => rng.int(256))])];
    }
  }
}

describe('seeded fuzz of the dataset importers', () => {
  it(`${CASES_PER_SEED} mutations of each archive kind: a well-formed import or a UserError`, async () => {
    const rng = createRng(SEED);
    const outcomes = { imported: 0, refused: 0 };
    for (const seed of seeds()) {
      const given = seed.files.reduce((a, f) => a + f.bytes.length, 0);
      for (let c = 0; c < CASES_PER_SEED; c++) {
        const which = rng.int(seed.files.length);
        const [how, bytes] = mutate(seed.files[which]!.bytes, rng);
        const files = seed.files.map((f, i) => (i === which ? { path: f.path, bytes } : f));
        const label = `${seed.name}, case ${c}: ${seed.files[which]!.path} ${how}`;
        try {
          const r = await importFiles(files, { size: 8, decodeImage: nodeImageDecoder });
          const { numImages, images, labels } = r.set;
          expect(numImages, label).toBeGreaterThan(0);
          expect(images.length, label).toBe(numImages * 8 * 8 * 3);
          if (labels) expect(labels.length, label).toBe(numImages);
          expect(numImages, `${label}: more images than the files can hold`).toBeLessThanOrEqual(Math.max(64, given * 64));
          outcomes.imported += 1;
        } catch (e) {
          expect(isUserError(e), `${label}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`).toBe(true);
          outcomes.refused += 1;
        }
      }
    }
    // Both kinds of outcome happen (the mutations are not all harmless, nor all fatal).
    expect(outcomes.imported).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  }, 180_000);
});

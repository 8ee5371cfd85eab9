/**
 * Crafted archives against the unpacking budget and the integrity checks (issue 16, items 1 and 4):
 * a gzip whose trailer lies, a gzip whose trailer declares too much, a zip of zips, too deep
 * nesting, zip members with a wrong CRC or lying sizes, multi-member gzip. Each must give its exact
 * message and stop early (bounded time and bytes inflated).
 */
import { gzipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { expandArchives } from './archives';
import { gunzip } from './gzip';
import { concat, makeTar } from './testing/archives';
import { deflatedEntry, gzipOf, lyingGzip, nestedGzip, rawZip, zeroDeflate, zerosGzip, zipOfZips } from './testing/crafted';
import { createUnpackBudget, type UnpackBudget } from './unpackBudget';
import { readZip } from './zip';

const MIB = 1024 * 1024;
const bytesOf = (n: number, seed = 1): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 17 + (i >> 7)) & 255);
const BOMB_ADVICE = 'it is a compression bomb, or data that compresses unusually well; unpack it yourself and import the files it holds, or import a smaller part of the data';
const RULE = '8× the size of the files given, at least 32 MB, at most 1.0 GB more than their size';

/** A small budget keeps the tests fast (fflate inflates runs of zeros at about 50 MB/s here). */
const smallBudget = (mib: number): UnpackBudget => ({ totalBytes: mib * MIB, usedBytes: 0 });

describe('unpacking budget', () => {
  it('stops a gzip whose trailer lies at the budget, not at what it inflates to', () => {
    const gz = lyingGzip(1500); // 1.5 MB that inflates to 1.5 GiB, trailer says 1000 bytes
    expect(createUnpackBudget(gz.length).totalBytes).toBe(32 * MIB); // what an import of it alone may unpack
    const budget = smallBudget(8);
    const ex = expandArchives([{ path: 'bomb.gz', bytes: gz }], undefined, budget);
    expect(ex.files).toEqual([]);
    expect(ex.skipped).toEqual([{ path: 'bomb.gz', reason: `unpacks to more than the 8.0 MB this import may unpack (${RULE}): ${BOMB_ADVICE} (0 bytes unpacked before it)` }]);
    expect(budget.usedBytes).toBeLessThan(8 * MIB + 5 * MIB); // stopped within one push (4 KB of input) of the budget
  });

  it('refuses a gzip whose trailer declares more than the budget before inflating anything', () => {
    const gz = zerosGzip(100);
    const budget = createUnpackBudget(gz.length);
    expect(() => gunzip(gz, 'big.gz', budget)).toThrow(`big.gz: says it unpacks to 100 MB, more than the 32 MB this import may unpack (${RULE}): ${BOMB_ADVICE} (0 bytes unpacked before it)`);
    expect(budget.usedBytes).toBe(0);
  });

  it('refuses one gzip declaring more than one archive may hold, whatever the import budget', () => {
    const gz = gzipOf(zeroDeflate(1100), 0, 1100 * MIB); // trailer plausible for 1.1 MB of deflate
    expect(() => gunzip(gz, 'huge.gz', smallBudget(4096))).toThrow(
      'huge.gz: says it unpacks to 1.1 GB, more than the 1.0 GB one archive may hold (one block of memory); split the data into smaller archives, or unpack it yourself and import the files it holds',
    );
  });

  it('shares one budget over a zip of zips: the inner zips past it are refused from their directories', () => {
    const outer = zipOfZips(4, 3); // 4 stored zips of 3 MiB of zeros each, 12 KB in all
    const budget = smallBudget(8);
    const ex = expandArchives([{ path: 'zips.zip', bytes: outer }], undefined, budget);
    expect(ex.files.map((f) => [f.path, f.bytes.length])).toEqual([
      ['zeros.bin', 3 * MIB],
      ['zeros.bin', 3 * MIB],
    ]);
    const reason = `says it unpacks to 3.0 MB, more than the 8.0 MB this import may unpack (${RULE}): ${BOMB_ADVICE} (6.0 MB unpacked before it)`;
    expect(ex.skipped).toEqual(['part2.zip', 'part3.zip'].map((path) => ({ path, reason })));
    expect(budget.usedBytes).toBe(6 * MIB);
  });

  it('reports nesting past the depth limit as such', () => {
    const ex = expandArchives([{ path: 'x.bin.gz.gz.gz.gz', bytes: nestedGzip(bytesOf(100), 4) }]);
    expect(ex.files).toEqual([]);
    expect(ex.archives).toEqual(['x.bin.gz.gz.gz.gz', 'x.bin.gz.gz.gz', 'x.bin.gz.gz']);
    expect(ex.skipped).toEqual([
      {
        path: 'x.bin.gz',
        reason: 'is an archive inside 3 levels of archives; the importer unpacks at most 3 levels (a zip of .gz files is 2), to bound the work a crafted file can cause: unpack the outer archives yourself and import what they hold',
      },
    ]);
  });
});

describe('zip member checks', () => {
  const a = bytesOf(100 * 32, 1);
  const b = bytesOf(100 * 32, 2);

  it('skips a member whose CRC-32 fails and keeps the others', () => {
    const zip = rawZip([deflatedEntry('set/a.bin', a, { crc: 0x12345678 }), deflatedEntry('set/b.bin', b)]);
    const { files, skipped } = readZip(zip, 'set.zip');
    expect(files.map((f) => f.path)).toEqual(['set/b.bin']);
    expect(Array.from(files[0]!.bytes)).toEqual(Array.from(b));
    expect(skipped).toEqual([{ path: 'set/a.bin', reason: "is corrupt inside set.zip: its unpacked bytes fail the zip's own check; re-create the zip or download it again (CRC-32 mismatch)" }]);
  });

  it('skips a member whose data is changed but whose directory is not (a stored member)', () => {
    const zip = rawZip([{ ...deflatedEntry('a.bin', a), method: 0, data: a.map((v, i) => (i === 7 ? v ^ 1 : v)) }]);
    expect(readZip(zip, 'set.zip').skipped).toEqual([{ path: 'a.bin', reason: "is corrupt inside set.zip: its unpacked bytes fail the zip's own check; re-create the zip or download it again (CRC-32 mismatch)" }]);
  });

  it('skips members whose declared size lies, in either direction', () => {
    const zip = rawZip([deflatedEntry('small.bin', a, { size: 320 }), deflatedEntry('large.bin', b, { size: 32_000 })]);
    const { files, skipped } = readZip(zip, 'set.zip');
    expect(files).toEqual([]);
    expect(skipped).toEqual([
      { path: 'small.bin', reason: 'is corrupt inside set.zip: it unpacks to more bytes than the zip records for it; re-create the zip or download it again (more than the 320 bytes declared)' },
      { path: 'large.bin', reason: 'is corrupt inside set.zip: it unpacks to fewer bytes than the zip records for it; re-create the zip or download it again (3200 of the 32000 bytes declared)' },
    ]);
  });

  it('names a zip whose directory points outside it', () => {
    const zip = rawZip([deflatedEntry('a.bin', a)]);
    const cut = zip.slice(0, zip.length - 22 - 46 - 5).length; // directory lost
    expect(() => readZip(concat([zip.subarray(0, cut), zip.subarray(zip.length - 22)]), 'set.zip')).toThrow(/^set\.zip: is not a readable zip archive: it is cut off, damaged or another kind of file; create or download it again \(the central directory/);
  });
});

describe('multi-member gzip', () => {
  it('unpacks to the concatenation of its members, as gzip -d does, a tar.gz too', () => {
    const a = bytesOf(70_000, 1);
    const b = bytesOf(5_000, 2);
    expect(Array.from(gunzip(concat([gzipSync(a), gzipSync(b), gzipSync(new Uint8Array(0))]), 'ab.gz'))).toEqual([...a, ...b]);
    const tar = makeTar([{ path: 'd/x.bin', bytes: a }, { path: 'd/y.txt', bytes: strToU8('y') }]);
    const half = 512 * 3;
    const ex = expandArchives([{ path: 'd.tar.gz', bytes: concat([gzipSync(tar.subarray(0, half)), gzipSync(tar.subarray(half))]) }]);
    expect(ex.skipped).toEqual([]);
    expect(ex.files.map((f) => f.path)).toEqual(['d/x.bin', 'd/y.txt']);
  });

  it('checks every member against its own trailer', () => {
    const first = gzipSync(bytesOf(1000, 1));
    first[first.length - 8]! ^= 1;
    expect(() => gunzip(concat([first, gzipSync(bytesOf(10, 2))]), 'ab.gz')).toThrow("ab.gz: is damaged: its unpacked data fails the file's own check; download it again (member 1 of 2: CRC-32 mismatch)");
    const second = gzipSync(bytesOf(10, 2));
    second[second.length - 4]! ^= 1;
    expect(() => gunzip(concat([gzipSync(bytesOf(1000, 1)), second]), 'ab.gz')).toThrow('ab.gz: is damaged or cut off: it does not unpack to the size it records; download it again (member 2 of 2: it unpacked to 10 bytes but its trailer says 11)');
  });
});

import { gzipSync as nodeGzip } from 'node:zlib';
import { gzipSync, strFromU8, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { expandArchives } from './archives';
import { gunzip } from './gzip';
import { isTar, readTar } from './tar';
import { concat, makeTar, makeTarGz, makeZip, tarHeader } from './testing/archives';
import { readZip } from './zip';

const bytesOf = (n: number, seed = 1): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 17 + (i >> 7)) & 255);

describe('gunzip', () => {
  it('unpacks gzip from node:zlib and from fflate with a file name in the header', () => {
    const data = bytesOf(100_000);
    expect(Array.from(gunzip(new Uint8Array(nodeGzip(data)), 'a.gz'))).toEqual(Array.from(data));
    expect(Array.from(gunzip(gzipSync(data, { filename: 'inner.bin', mtime: 0 }), 'b.gz'))).toEqual(Array.from(data));
    expect(gunzip(new Uint8Array(nodeGzip(new Uint8Array(0))), 'empty.gz').length).toBe(0);
  });

  it('names the file when the data is truncated', () => {
    const gz = new Uint8Array(nodeGzip(bytesOf(200_000)));
    for (const cut of [gz.length - 4, gz.length - 100, Math.floor(gz.length / 2), 12]) {
      expect(() => gunzip(gz.subarray(0, cut), 'cifar-10-binary.tar.gz')).toThrow(/^cifar-10-binary\.tar\.gz: is (incomplete: it was cut off|damaged or cut off).*download it again/);
    }
  });

  it('names the file when it is not gzip, corrupt, or fails its CRC', () => {
    expect(() => gunzip(strToU8('hello world, not gzip at all'), 'notes.gz')).toThrow(/^notes\.gz: is not a gzip \(\.gz\) file: it is another kind of file .*; download it again \(it starts with 68 65 6c 6c/);
    const gz = new Uint8Array(nodeGzip(bytesOf(50_000)));
    const badCrc = gz.slice();
    badCrc[badCrc.length - 8]! ^= 0xff;
    expect(() => gunzip(badCrc, 'x.gz')).toThrow(/^x\.gz: is damaged: .*download it again \(CRC-32 mismatch\)/);
    const badData = gz.slice();
    for (let i = 200; i < 260; i++) badData[i] = 0xff ^ badData[i]!;
    expect(() => gunzip(badData, 'y.gz')).toThrow(/^y\.gz: is damaged/);
  });
});

describe('readTar', () => {
  it('reads regular files of ustar archives, GNU long names, pax paths and POSIX prefixes', () => {
    const longPath = `${'deep/'.repeat(30)}file.bin`;
    const pax = strToU8('29 path=pax/named/member.txt\n');
    const tar = makeTar([
      { path: 'top/', type: '5' },
      { path: 'top/a.bin', bytes: bytesOf(1000) },
      { path: 'top/empty.txt', bytes: new Uint8Array(0) },
      { path: longPath, bytes: bytesOf(513, 2) },
      { path: 'PaxHeaders/x', type: 'x', bytes: pax },
      { path: 'short-name', bytes: strToU8('pax body') },
      { path: 'name.bin', prefix: 'prefixed/folder', bytes: bytesOf(10, 3) },
      { path: 'top/link', type: '2' },
    ]);
    expect(strFromU8(pax).length).toBe(29); // a pax record's length counts itself
    expect(isTar(tar)).toBe(true);
    const { files, skipped } = readTar(tar, 'a.tar');
    expect(files.map((f) => f.path)).toEqual(['top/a.bin', 'top/empty.txt', longPath, 'pax/named/member.txt', 'prefixed/folder/name.bin']);
    expect(Array.from(files[0]!.bytes)).toEqual(Array.from(bytesOf(1000)));
    expect(files[1]!.bytes.length).toBe(0);
    expect(Array.from(files[2]!.bytes)).toEqual(Array.from(bytesOf(513, 2)));
    expect(strFromU8(files[3]!.bytes)).toBe('pax body');
    expect(skipped).toEqual([{ path: 'top/link', reason: expect.stringMatching(/symbolic link in a\.tar/) }]);
  });

  it('rejects a header whose checksum fails, naming the archive', () => {
    const tar = makeTar([{ path: 'a.bin', bytes: bytesOf(600) }, { path: 'b.bin', bytes: bytesOf(10) }]);
    const bad = tar.slice();
    bad[1536 + 3] = 0x41; // second header's name (after 512 + 1024 bytes of the first member)
    expect(() => readTar(bad, 'data.tar')).toThrow(/^data\.tar: is damaged: its entry 2 cannot be read; download it again \(the tar header of member 2 .*checksum\)/);
    const notTar = bytesOf(2048);
    expect(isTar(notTar)).toBe(false);
    expect(() => readTar(notTar, 'x.tar')).toThrow(/^x\.tar: is not a tar archive, or is damaged: its first entry cannot be read; download it again \(the tar header of member 1 at byte 0 fails its checksum\)/);
  });

  it('reports truncation inside a member and inside a header', () => {
    const tar = makeTar([{ path: 'a.bin', bytes: bytesOf(600) }, { path: 'dir/b.bin', bytes: bytesOf(5000) }]);
    expect(() => readTar(tar.subarray(0, 512 * 3 + 512 + 100), 'cut.tar')).toThrow(/^cut\.tar: is incomplete: it was cut off .*; download it again \(it ends inside member "dir\/b\.bin": 100 of 5000 bytes present\)/);
    expect(() => readTar(tar.subarray(0, 512 * 3 + 200), 'cut.tar')).toThrow(/^cut\.tar: is incomplete: .*\(it ends inside the tar header of member 2\)/);
  });

  it('accepts GNU-format headers and archives without end blocks', () => {
    const gnu = concat([tarHeader('g.bin', 3, '0', true), Uint8Array.of(7, 8, 9), new Uint8Array(509)]);
    expect(readTar(gnu, 'g.tar').files.map((f) => [f.path, Array.from(f.bytes)])).toEqual([['g.bin', [7, 8, 9]]]);
  });
});

/** Offsets of each local file header's data in a zip: name → [dataStart, methodOffset]. */
function localEntries(zip: Uint8Array): Map<string, number> {
  const out = new Map<string, number>();
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let pos = 0;
  while (v.getUint32(pos, true) === 0x04034b50) {
    const nameLen = v.getUint16(pos + 26, true);
    const extraLen = v.getUint16(pos + 28, true);
    const size = v.getUint32(pos + 18, true);
    const name = strFromU8(zip.subarray(pos + 30, pos + 30 + nameLen));
    out.set(name, pos);
    pos += 30 + nameLen + extraLen + size;
  }
  return out;
}

describe('readZip', () => {
  const a = bytesOf(3000, 1);
  const b = bytesOf(20, 2);
  const zip = makeZip({
    'set/': new Uint8Array(0),
    'set/cats/': new Uint8Array(0),
    'set/cats/a.png': a,
    'set/dogs/deep/b.png': b,
    '__MACOSX/set/cats/._a.png': bytesOf(5),
    'set/._b.png': bytesOf(5),
    'set/.DS_Store': bytesOf(5),
  });

  it('returns the files of nested folders and drops folder entries and macOS junk', () => {
    const { files, skipped } = readZip(zip, 'set.zip');
    expect(skipped).toEqual([]);
    expect(files.map((f) => f.path).sort()).toEqual(['set/cats/a.png', 'set/dogs/deep/b.png']);
    expect(Array.from(files.find((f) => f.path === 'set/cats/a.png')!.bytes)).toEqual(Array.from(a));
  });

  it('skips entries with unsupported compression and corrupt entries on their own', () => {
    const bad = zip.slice();
    const local = localEntries(bad);
    // set/cats/a.png: say bzip2 (12) in the local and the central header
    const v = new DataView(bad.buffer);
    v.setUint16(local.get('set/cats/a.png')! + 8, 12, true);
    for (let p = 0; p + 4 < bad.length; p++) {
      if (v.getUint32(p, true) === 0x02014b50 && strFromU8(bad.subarray(p + 46, p + 46 + v.getUint16(p + 28, true))) === 'set/cats/a.png') v.setUint16(p + 10, 12, true);
    }
    const r1 = readZip(bad, 'set.zip');
    expect(r1.files.map((f) => f.path)).toEqual(['set/dogs/deep/b.png']);
    expect(r1.skipped).toEqual([{ path: 'set/cats/a.png', reason: expect.stringMatching(/bzip2 in set\.zip/) }]);

    const corrupt = zip.slice();
    const off = localEntries(corrupt).get('set/dogs/deep/b.png')!;
    const cv = new DataView(corrupt.buffer);
    corrupt[off + 30 + cv.getUint16(off + 26, true) + cv.getUint16(off + 28, true)] = 0xff; // deflate block type 3: invalid
    const r2 = readZip(corrupt, 'set.zip');
    expect(r2.files.map((f) => f.path)).toEqual(['set/cats/a.png']);
    expect(r2.skipped).toEqual([{ path: 'set/dogs/deep/b.png', reason: expect.stringMatching(/is corrupt inside set\.zip/) }]);
  });

  it('names a truncated or non-zip archive', () => {
    expect(() => readZip(zip.subarray(0, zip.length - 30), 'set.zip')).toThrow(/^set\.zip: is not a readable zip archive/);
  });
});

describe('expandArchives', () => {
  it('unpacks tar.gz, zip, nested .gz and leaves plain files, with member paths under the archive folder', () => {
    const inner = bytesOf(700, 4);
    const tgz = makeTarGz([{ path: 'cifar/data_batch_1.bin', bytes: inner }, { path: 'cifar/._data_batch_1.bin', bytes: bytesOf(4) }]);
    const zipOfGz = makeZip({ 'mnist/train-images-idx3-ubyte.gz': gzipSync(inner) });
    const ex = expandArchives([
      { path: 'downloads/c.tar.gz', bytes: tgz },
      { path: 'm.zip', bytes: zipOfGz },
      { path: 'plain.txt', bytes: strToU8('hi') },
    ]);
    expect(ex.skipped).toEqual([]);
    expect(ex.archives).toEqual(['downloads/c.tar.gz', 'm.zip', 'mnist/train-images-idx3-ubyte.gz']);
    expect(ex.files.map((f) => f.path)).toEqual(['downloads/cifar/data_batch_1.bin', 'mnist/train-images-idx3-ubyte', 'plain.txt']);
    expect(Array.from(ex.files[1]!.bytes)).toEqual(Array.from(inner));
  });

  it('reports an archive that cannot be unpacked and goes on with the rest', () => {
    const tgz = makeTarGz([{ path: 'a.bin', bytes: bytesOf(100_000) }]);
    const ex = expandArchives([
      { path: 'broken.tar.gz', bytes: tgz.subarray(0, tgz.length - 50) },
      { path: 'ok.bin', bytes: bytesOf(3) },
    ]);
    expect(ex.files.map((f) => f.path)).toEqual(['ok.bin']);
    expect(ex.skipped).toEqual([{ path: 'broken.tar.gz', reason: expect.stringMatching(/cut off/) }]);
  });
});

// Writes the crafted untrusted dataset files of issue 16 (items 1 and 4) into a folder, each under
// 5 MB, with the generators of src/core/data/formats/testing/crafted.ts: a gzip whose trailer lies,
// a zip of zips, a gzip bomb of 4 GB, a decodable 16-megapixel JPEG, a PNG whose IHDR declares
// 8000×5000, and the largest honest files a small import accepts (an IDX set of zeros that just
// fits the unpacking budget, a JPEG and a PNG at the Node decoders' memory limit).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Writes every case into `outDir` using the bundled generators in `genDir`; returns [name, bytes][]. */
export async function craftFiles(genDir, outDir) {
  const c = await import(pathToFileURL(join(genDir, 'crafted.mjs')).href);
  const img = await import(pathToFileURL(join(genDir, 'images.mjs')).href);
  const raw = await import(pathToFileURL(join(genDir, 'rawFormats.mjs')).href);
  const jpegSide = 4000;
  const gray = new Uint8Array(jpegSide * jpegSide * 4).fill(128);
  const cases = {
    'lying-trailer.gz': c.lyingGzip(1500), // 1.5 MB → 1.5 GiB, trailer says 1000 bytes
    'zip-of-zips.zip': c.zipOfZips(10, 270), // 10 stored zips of 270 MiB of zeros each, honest
    'bomb-4gb.gz': c.lyingGzip(4000), // 4 MB → 4 GB, trailer says 1000 bytes
    'photo-16mp.jpg': await img.makeJpeg(jpegSide, jpegSide, gray, 10), // decodable, 4000×4000
    'ihdr-8000x5000.png': img.makePngHeaderOnly(8000, 5000),
    'mnist-zeros-idx3-ubyte.gz': new Uint8Array(gzipSync(raw.makeIdxImages(new Uint8Array(60000 * 784), 60000, 28, 28), { level: 9 })),
    'idx-zeros-40k-idx3-ubyte.gz': new Uint8Array(gzipSync(raw.makeIdxImages(new Uint8Array(40000 * 784), 40000, 28, 28), { level: 9 })),
    'photo-2.7mp.jpg': await img.makeJpeg(1650, 1650, new Uint8Array(1650 * 1650 * 4).fill(90), 10),
    'png-9mp.png': img.makePng(3000, 3000, new Uint8Array(3000 * 3000 * 4), 'rgb'),
  };
  const out = [];
  for (const [name, bytes] of Object.entries(cases)) {
    writeFileSync(join(outDir, name), bytes);
    out.push([name, bytes.length]);
  }
  return out;
}

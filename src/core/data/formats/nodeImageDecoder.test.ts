import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { nodeImageDecoder } from './nodeImageDecoder';
import { makeJpeg, makePng, makeWebpHeaderOnly, patternRgba } from './testing/images';

describe('nodeImageDecoder', () => {
  it('decodes a PNG written by pngjs to the exact RGBA pixels', async () => {
    const rgba = patternRgba(5, 3, 2);
    rgba[7] = 100; // one translucent pixel
    const png = new PNG({ width: 5, height: 3 });
    png.data.set(rgba);
    const bytes = new Uint8Array(PNG.sync.write(png));
    const out = await nodeImageDecoder(bytes, 'p.png');
    expect([out.width, out.height]).toEqual([5, 3]);
    expect(Array.from(out.data)).toEqual(Array.from(rgba));
  });

  it('decodes the test helper PNGs (RGB, gray) exactly', async () => {
    const rgba = patternRgba(4, 6, 1);
    const rgb = await nodeImageDecoder(makePng(4, 6, rgba, 'rgb'), 'rgb.png');
    const gray = await nodeImageDecoder(makePng(4, 6, rgba, 'gray'), 'gray.png');
    for (let i = 0; i < 24; i++) {
      expect([rgb.data[i * 4], rgb.data[i * 4 + 1], rgb.data[i * 4 + 2], rgb.data[i * 4 + 3]]).toEqual([rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2], 255]);
      expect([gray.data[i * 4], gray.data[i * 4 + 1], gray.data[i * 4 + 2]]).toEqual([rgba[i * 4], rgba[i * 4], rgba[i * 4]]);
    }
  });

  it('decodes a JPEG within JPEG tolerance', async () => {
    const rgba = new Uint8Array(16 * 16 * 4);
    for (let i = 0; i < 256; i++) rgba.set([40 + (i % 16) * 8, 200 - Math.floor(i / 16) * 6, 90, 255], i * 4);
    const out = await nodeImageDecoder(await makeJpeg(16, 16, rgba, 95), 'j.jpg');
    expect([out.width, out.height]).toEqual([16, 16]);
    let maxDiff = 0;
    for (let i = 0; i < rgba.length; i++) if (i % 4 !== 3) maxDiff = Math.max(maxDiff, Math.abs(out.data[i]! - rgba[i]!));
    expect(maxDiff).toBeLessThanOrEqual(12);
  });

  it('refuses WebP with "WebP needs the browser", and names corrupt or unknown files', async () => {
    await expect(nodeImageDecoder(makeWebpHeaderOnly(10, 10), 'w/x.webp')).rejects.toThrow(/^w\/x\.webp: is a WebP image: WebP needs the browser/);
    await expect(nodeImageDecoder(Uint8Array.of(1, 2, 3), 'junk.png')).rejects.toThrow(/^junk\.png: is not an image/);
    const png = makePng(4, 4, patternRgba(4, 4));
    const cut = png.subarray(0, png.length - 20);
    await expect(nodeImageDecoder(cut, 'cut.png')).rejects.toThrow(/^cut\.png: is a corrupt or unsupported PNG/);
    const jpeg = await makeJpeg(8, 8, patternRgba(8, 8));
    await expect(nodeImageDecoder(jpeg.subarray(0, 40), 'cut.jpg')).rejects.toThrow(/^cut\.jpg: is a corrupt or unsupported JPEG/);
  });
});

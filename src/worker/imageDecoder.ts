/**
 * The browser's image decoder for the importers: createImageBitmap (PNG, JPEG, WebP and whatever
 * else the browser reads) drawn onto an OffscreenCanvas and read back as RGBA. Runs in a Worker
 * (or a page); Node tests inject a pure-JS decoder instead.
 * Colour: no colour-space conversion and no premultiplication on decode, like PIL, which ignores
 * ICC profiles; fully transparent pixels read back as black (the canvas stores premultiplied
 * colour), where PIL's convert('RGB') would keep their hidden colour.
 * Must not import: ui/, tfjs.
 */
import type { DecodedPixels, ImageDecoder } from '../core/data/formats/types';

/** A decoder that reuses one canvas while consecutive images share a size. */
export function createBrowserImageDecoder(): ImageDecoder {
  let canvas: OffscreenCanvas | null = null;
  let ctx: OffscreenCanvasRenderingContext2D | null = null;

  return async (bytes: Uint8Array): Promise<DecodedPixels> => {
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
    } catch (e) {
      const why = e instanceof Error && e.message ? ` (${e.message})` : '';
      throw new Error(`the browser could not decode this image${why}; the file is damaged, truncated or not really an image.`);
    }
    try {
      const { width, height } = bitmap;
      if (width === 0 || height === 0) throw new Error('the image has no pixels (0 × 0).');
      if (!canvas || !ctx || canvas.width !== width || canvas.height !== height) {
        canvas = new OffscreenCanvas(width, height);
        ctx = canvas.getContext('2d', { willReadFrequently: true });
        if (!ctx) throw new Error('this browser offers no 2D canvas in workers, so images cannot be decoded here.');
      } else {
        ctx.clearRect(0, 0, width, height);
      }
      ctx.drawImage(bitmap, 0, 0);
      const { data } = ctx.getImageData(0, 0, width, height); // RGBA [height, width, 4]
      return { data, width, height };
    } finally {
      bitmap.close();
    }
  };
}

/**
 * Resizes a whole image (gray, RGB or RGBA) to size × size RGB uint8, changing the aspect ratio like
 * torchvision's Resize((s, s)): each axis is resampled separately, by area averaging where it
 * shrinks (every output pixel is the mean of the source area it covers, PIL's BOX filter /
 * cv2 INTER_AREA) and bilinearly where it grows (half-pixel centres, align_corners=False, edges
 * clamped). Alpha is dropped without compositing, as PIL's convert('RGB') does.
 * Must not import: tfjs, DOM.
 */

/** Source taps of every output index along one axis: output i reads counts[i] taps from starts[i]. */
interface AxisTaps {
  starts: Int32Array;
  counts: Int32Array;
  /** Concatenated tap weights (each output's weights sum to 1). */
  weights: Float64Array;
  /** Offset of output i's first weight in `weights`. */
  offsets: Int32Array;
}

function axisTaps(inLen: number, outLen: number): AxisTaps {
  const starts = new Int32Array(outLen);
  const counts = new Int32Array(outLen);
  const offsets = new Int32Array(outLen);
  const weights: number[] = [];
  const scale = inLen / outLen;
  for (let i = 0; i < outLen; i++) {
    offsets[i] = weights.length;
    if (inLen > outLen) {
      // area: output i covers the source interval [lo, hi)
      const lo = i * scale;
      const hi = (i + 1) * scale;
      const first = Math.floor(lo);
      const last = Math.min(inLen - 1, Math.ceil(hi) - 1);
      starts[i] = first;
      counts[i] = last - first + 1;
      for (let j = first; j <= last; j++) weights.push((Math.min(hi, j + 1) - Math.max(lo, j)) / scale);
    } else if (inLen < outLen) {
      // bilinear: the centre of output i sits at source coordinate x
      const x = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), inLen - 1);
      const j0 = Math.floor(x);
      const f = x - j0;
      starts[i] = j0;
      if (j0 + 1 < inLen && f > 0) {
        counts[i] = 2;
        weights.push(1 - f, f);
      } else {
        counts[i] = 1;
        weights.push(1);
      }
    } else {
      starts[i] = i;
      counts[i] = 1;
      weights.push(1);
    }
  }
  return { starts, counts, offsets, weights: Float64Array.from(weights) };
}

const tapCache = new Map<string, AxisTaps>();
function cachedTaps(inLen: number, outLen: number): AxisTaps {
  const key = `${inLen}:${outLen}`;
  let taps = tapCache.get(key);
  if (!taps) {
    if (tapCache.size > 64) tapCache.clear();
    taps = axisTaps(inLen, outLen);
    tapCache.set(key, taps);
  }
  return taps;
}

/**
 * Writes `src` resized to [size, size, 3] into `dst` at `dstOffset` (NOTE: mutates dst).
 * @param src pixels [srcHeight, srcWidth, channels], channels 1 (gray, copied to R, G and B), 3 or 4 (alpha dropped)
 */
export function resizeToSquareRgb(
  src: Uint8Array | Uint8ClampedArray,
  srcWidth: number,
  srcHeight: number,
  channels: 1 | 3 | 4,
  size: number,
  dst: Uint8Array,
  dstOffset = 0,
): void {
  if (src.length < srcWidth * srcHeight * channels) {
    throw new RangeError(`resize: ${src.length} source values do not hold a ${srcWidth}×${srcHeight}×${channels} image`);
  }
  if (dst.length < dstOffset + size * size * 3) throw new RangeError(`resize: output too small for ${size}×${size}×3 at offset ${dstOffset}`);
  const cOf = (c: number): number => (channels === 1 ? 0 : c);
  if (srcWidth === size && srcHeight === size) {
    for (let p = 0; p < size * size; p++) {
      for (let c = 0; c < 3; c++) dst[dstOffset + p * 3 + c] = src[p * channels + cOf(c)]!;
    }
    return;
  }
  const h = cachedTaps(srcWidth, size);
  const v = cachedTaps(srcHeight, size);
  // horizontal pass: [srcHeight, srcWidth, channels] -> [srcHeight, size, 3]
  const tmp = new Float64Array(srcHeight * size * 3);
  for (let y = 0; y < srcHeight; y++) {
    const rowIn = y * srcWidth;
    const rowOut = y * size;
    for (let x = 0; x < size; x++) {
      const s0 = h.starts[x]!;
      const n = h.counts[x]!;
      const w0 = h.offsets[x]!;
      for (let c = 0; c < 3; c++) {
        const cc = cOf(c);
        let acc = 0;
        for (let k = 0; k < n; k++) acc += src[(rowIn + s0 + k) * channels + cc]! * h.weights[w0 + k]!;
        tmp[(rowOut + x) * 3 + c] = acc;
      }
    }
  }
  // vertical pass: [srcHeight, size, 3] -> [size, size, 3], rounded to uint8
  for (let y = 0; y < size; y++) {
    const s0 = v.starts[y]!;
    const n = v.counts[y]!;
    const w0 = v.offsets[y]!;
    for (let i = 0; i < size * 3; i++) {
      let acc = 0;
      for (let k = 0; k < n; k++) acc += tmp[(s0 + k) * size * 3 + i]! * v.weights[w0 + k]!;
      const r = Math.round(acc);
      dst[dstOffset + y * size * 3 + i] = r < 0 ? 0 : r > 255 ? 255 : r;
    }
  }
}

/**
 * MNIST-style IDX files → uint8 RGB images + labels (MNIST, Fashion-MNIST, KMNIST, EMNIST).
 *
 * IDX (http://yann.lecun.com/exdb/mnist/): bytes 0–1 zero, byte 2 the data type (0x08 = unsigned
 * byte, the only one supported), byte 3 the number of dimensions, then one big-endian uint32 per
 * dimension, then the data row-major. Images: magic 0x00000803, [n, rows, cols]; labels: magic
 * 0x00000801, [n]. Image files pair with label files of the same name stem
 * ("train-images-idx3-ubyte" ↔ "train-labels-idx1-ubyte", "t10k-…" ↔ "t10k-…"); t10k / test files
 * are the source's test set. Gray becomes R = G = B. Class names: Fashion-MNIST's when "fashion"
 * appears in a path or the archive name, else the digits. Labels are class numbers: the classes are
 * 0 to the largest label, so a labels file that would leave most of them empty (a label of 255 in
 * digits) is refused, and images whose labels file is unusable are skipped, never imported
 * unlabelled.
 * Must not import: tfjs, DOM.
 */
import { DIGIT_CLASS_NAMES, FASHION_MNIST_CLASS_NAMES } from './classNames';
import { CUT_OFF } from './formatError';
import { allocateImages, splitBudget, type FormatImport, type FormatImportOptions } from './outputSet';
import { baseName, dirParts, naturalCompare } from './paths';
import { resizeToSquareRgb } from './resize';
import type { InputFile, SkippedFile } from './types';

const TYPE_NAMES: Record<number, string> = { 0x08: 'unsigned byte', 0x09: 'signed byte', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64' };

/** True when the bytes start like an IDX file (two zero bytes, a known type, 1–4 dimensions). */
export function isIdxBytes(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0 && bytes[2]! in TYPE_NAMES && bytes[3]! >= 1 && bytes[3]! <= 4;
}

/** True for file names that say IDX ("train-images-idx3-ubyte", "t10k-labels.idx1-ubyte"). */
export function isIdxName(path: string): boolean {
  return /idx\d/i.test(baseName(path));
}

interface IdxFile {
  file: InputFile;
  kind: 'images' | 'labels';
  /** [n] for labels, [n, rows, cols] for images. */
  dims: number[];
  headerBytes: number;
  key: string;
  isTest: boolean;
}

const hex32 = (b: Uint8Array): string => `0x${Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join('')}`;

/** Parses and checks an IDX header against the file length; or says why the file is unusable. */
function parseIdx(file: InputFile): IdxFile | SkippedFile {
  const b = file.bytes;
  const fail = (reason: string): SkippedFile => ({ path: file.path, reason });
  if (b.length === 0) return fail('is empty (0 bytes)');
  if (b.length < 8 || b[0] !== 0 || b[1] !== 0 || !(b[2]! in TYPE_NAMES)) {
    return fail(`is not an MNIST-style IDX file: it holds another kind of data; choose the MNIST files themselves, e.g. train-images-idx3-ubyte.gz (it starts with ${hex32(b)}; MNIST images start with 0x00000803 and labels with 0x00000801)`);
  }
  if (b[2] !== 0x08) {
    return fail(`stores numbers this importer cannot read: only byte-valued IDX files like MNIST's can be imported (it stores ${TYPE_NAMES[b[2]!]} values, IDX type 0x${b[2]!.toString(16).padStart(2, '0')}; only type 0x08 is supported)`);
  }
  const numDims = b[3]!;
  if (numDims !== 1 && numDims !== 3) {
    return fail(`is an IDX file of neither images nor labels, so it cannot be imported (it has ${numDims} dimensions; IDX image files have 3: count, rows, columns; label files 1: count)`);
  }
  const headerBytes = 4 + 4 * numDims;
  if (b.length < headerBytes) return fail(`${CUT_OFF} (it ends inside its ${headerBytes}-byte IDX header)`);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const dims = Array.from({ length: numDims }, (_, i) => view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, d) => a * d, 1);
  const actual = b.length - headerBytes;
  if (actual !== expected) {
    const shape = dims.join('×');
    const detail = `header says ${shape} = ${expected} bytes of data, but the file holds ${actual} after its ${headerBytes}-byte header`;
    if (actual < expected) return fail(`is incomplete: it holds less than its header announces, so it was cut off while it was downloaded or copied; download it again (${detail})`);
    return fail(`is damaged: it holds more than its header announces; download it again (${detail}; it has ${actual - expected} extra bytes)`);
  }
  if (numDims === 3 && (dims[1] === 0 || dims[2] === 0)) return fail(`holds images without pixels, so there is nothing to import (its header says ${dims[1]}×${dims[2]} pixels)`);
  if (numDims === 1) {
    const problem = labelValuesProblem(b.subarray(headerBytes));
    if (problem) return fail(problem);
  }
  const stem = baseName(file.path).toLowerCase().replace(/\.gz$/, '');
  return { file, kind: numDims === 3 ? 'images' : 'labels', dims, headerBytes, key: idxKey(file.path), isTest: /t10k|test/.test(stem) };
}

/** The part an IDX file belongs to: its folder and name stem without images/labels/idx words. */
function idxKey(path: string): string {
  const stem = baseName(path).toLowerCase().replace(/\.gz$/, '');
  return [...dirParts(path), stem.replace(/images|labels|idx\d|ubyte/g, '').replace(/[-_.]+/g, '-').replace(/^-|-$/g, '')].join('/');
}

/** True when a file that failed to parse was meant as labels (1 dimension, or named so). */
const isLabelsLike = (file: InputFile): boolean => file.bytes[3] === 1 || /labels|idx1/i.test(baseName(file.path));

/** The largest label of a real IDX dataset (EMNIST ByClass: 62 classes). */
const MAX_KNOWN_LABEL = 61;

/**
 * Why label values cannot be class numbers, or null. The classes are 0 … the largest label. The
 * file is refused when more of them would be empty than used, if either the file holds at least
 * one label per class (so a real set, or a sample of one, would show most classes) or the largest
 * label is past MAX_KNOWN_LABEL (no real IDX set has that many classes). A small sample of a real
 * set (labels 3 and 7 only) stays accepted.
 */
export function labelValuesProblem(labels: Uint8Array): string | null {
  if (labels.length === 0) return null;
  const seen = new Uint8Array(256);
  for (const v of labels) seen[v] = 1;
  let maxLabel = 0;
  for (let v = 0; v < 256; v++) if (seen[v]) maxLabel = v;
  const used = seen.reduce((a, x) => a + x, 0);
  const empty = maxLabel + 1 - used;
  if (empty <= used || (labels.length <= maxLabel && maxLabel <= MAX_KNOWN_LABEL)) return null;
  const values = Array.from({ length: 256 }, (_, v) => v).filter((v) => seen[v]);
  const shown = values.length > 12 ? `${values.slice(0, 12).join(', ')}, …` : values.join(', ');
  return `has labels up to ${maxLabel} but only ${used} different values (${shown}), so ${empty} of the ${maxLabel + 1} classes 0–${maxLabel} would have no images: it is damaged or its labels are not class numbers; download it again, or number the classes 0, 1, 2, … (the classes are 0 to the largest label; a label file that leaves most of them empty does not hold class numbers)`;
}

interface Pair {
  images: IdxFile;
  labels: IdxFile | null;
}

/**
 * Matches image files with label files by name stem; unmatched or inconsistent files are skipped.
 * `brokenLabels` maps the key of each unusable labels file to its path: its images are skipped.
 */
function pairFiles(parsed: IdxFile[], brokenLabels: Map<string, string>, skipped: SkippedFile[], warnings: string[]): Pair[] {
  const images = new Map<string, IdxFile>();
  const labels = new Map<string, IdxFile>();
  for (const f of parsed) {
    const map = f.kind === 'images' ? images : labels;
    const other = map.get(f.key);
    if (other) skipped.push({ path: f.file.path, reason: `is a second IDX ${f.kind} file for the same part as ${other.file.path}; only the first is used` });
    else map.set(f.key, f);
  }
  const hasAnyLabels = [...images.keys()].some((k) => labels.has(k) || brokenLabels.has(k));
  const pairs: Pair[] = [];
  for (const [key, img] of images) {
    const lab = labels.get(key) ?? null;
    labels.delete(key);
    const broken = brokenLabels.get(key);
    if (!lab && broken !== undefined) {
      skipped.push({ path: img.file.path, reason: `is not imported: its labels file ${broken} cannot be used (see the reason given for it); download that file again, or leave it out to import these images unlabelled` });
      continue;
    }
    if (!lab && hasAnyLabels) {
      skipped.push({ path: img.file.path, reason: 'has no matching IDX labels file (e.g. train-images-idx3-ubyte needs train-labels-idx1-ubyte next to it)' });
      continue;
    }
    if (lab && lab.dims[0] !== img.dims[0]) {
      skipped.push({ path: img.file.path, reason: `has ${img.dims[0]} images but its labels file ${lab.file.path} has ${lab.dims[0]} labels: one of them is truncated or they do not belong together` });
      skipped.push({ path: lab.file.path, reason: `has ${lab.dims[0]} labels but its images file ${img.file.path} has ${img.dims[0]} images` });
      continue;
    }
    pairs.push({ images: img, labels: lab });
  }
  for (const lab of labels.values()) {
    skipped.push({ path: lab.file.path, reason: 'is an IDX labels file with no matching images file (e.g. train-labels-idx1-ubyte needs train-images-idx3-ubyte)' });
  }
  if (pairs.length > 0 && !hasAnyLabels) warnings.push('No IDX label files (…-labels-idx1-ubyte) were given: the images are imported unlabelled');
  return pairs.sort((a, b) => Number(a.images.isTest) - Number(b.images.isTest) || naturalCompare(a.images.file.path, b.images.file.path));
}

/**
 * Imports IDX image/label files. `sourceName` (the archive or folder name) helps tell
 * Fashion-MNIST from digits. Unusable files land in `skipped`; the result may hold zero images.
 */
export function importIdx(files: InputFile[], opts: FormatImportOptions, sourceName: string): FormatImport {
  const skipped: SkippedFile[] = [];
  const warnings: string[] = [];
  const parsed: IdxFile[] = [];
  const brokenLabels = new Map<string, string>();
  for (const file of files) {
    const p = parseIdx(file);
    if (!('reason' in p)) parsed.push(p);
    else {
      skipped.push(p);
      if (isLabelsLike(file)) brokenLabels.set(idxKey(file.path), file.path);
    }
  }
  const pairs = pairFiles(parsed, brokenLabels, skipped, warnings);
  const isLabelled = pairs.some((p) => p.labels !== null);
  const quotas = splitBudget(
    pairs.map((p) => p.images.dims[0]!),
    opts.maxImages,
  );
  const numImages = quotas.reduce((a, b) => a + b, 0);
  const { size } = opts;
  const images = allocateImages(numImages, size);
  const labels = isLabelled ? new Int32Array(numImages) : null;
  const isTest = new Uint8Array(numImages);
  let idx = 0;
  let maxLabel = -1;
  pairs.forEach((pair, i) => {
    const [n, rows, cols] = pair.images.dims as [number, number, number];
    const quota = quotas[i]!;
    const src = pair.images.file.bytes;
    const pixels = rows * cols;
    for (let r = 0; r < quota; r++) {
      const off = pair.images.headerBytes + r * pixels;
      const out = idx * size * size * 3;
      if (rows === size && cols === size) {
        for (let p = 0; p < pixels; p++) {
          const v = src[off + p]!;
          images[out + p * 3] = v;
          images[out + p * 3 + 1] = v;
          images[out + p * 3 + 2] = v;
        }
      } else {
        resizeToSquareRgb(src.subarray(off, off + pixels), cols, rows, 1, size, images, out);
      }
      if (labels && pair.labels) {
        const label = pair.labels.file.bytes[pair.labels.headerBytes + r]!;
        labels[idx] = label;
        if (label > maxLabel) maxLabel = label;
      }
      isTest[idx] = pair.images.isTest ? 1 : 0;
      idx++;
      if (r % 2000 === 0) opts.progress(`Reading ${baseName(pair.images.file.path)}`, idx / Math.max(1, numImages));
    }
    if (quota < n) {
      skipped.push({ path: pair.images.file.path, reason: `images ${quota + 1}–${n} not imported: the import keeps at most ${opts.maxImages} images (maxImages)` });
    }
  });
  opts.progress(`Read ${numImages} IDX images`, 1);
  const isFashion = /fashion/i.test(sourceName) || files.some((f) => /fashion/i.test(f.path));
  const classNames = !isLabelled ? [] : maxLabel <= 9 ? [...(isFashion ? FASHION_MNIST_CLASS_NAMES : DIGIT_CLASS_NAMES)] : Array.from({ length: maxLabel + 1 }, (_, i) => String(i));
  return {
    format: 'idx',
    set: { images, labels, numImages, height: size, width: size },
    classNames,
    isSourceTest: isTest.some((t) => t === 1) ? isTest : null,
    skipped,
    warnings,
  };
}

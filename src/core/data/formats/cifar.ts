/**
 * CIFAR-10 / CIFAR-100 binary batches → uint8 HWC images + labels.
 *
 * Records (https://www.cs.toronto.edu/~kriz/cifar.html): CIFAR-10 = 1 label byte + 3072 pixel bytes,
 * CIFAR-100 = coarse label byte + fine label byte + 3072 pixel bytes (the fine label, 100 classes,
 * is used). Pixels are three 32×32 planes, R then G then B, rows top to bottom ([3, 32, 32], CHW);
 * they are written as [32, 32, 3] (HWC) and resized when the run's image size is not 32.
 * test_batch.bin / test.bin are marked as the source's test set. Class names come from
 * batches.meta.txt / fine_label_names.txt when present, else the standard names.
 * Must not import: tfjs, DOM.
 */
import { strFromU8 } from 'fflate';
import { CIFAR100_CLASS_NAMES, CIFAR10_CLASS_NAMES, parseNameLines } from './classNames';
import { allocateImages, splitBudget, type FormatImport, type FormatImportOptions } from './outputSet';
import { baseName, naturalCompare } from './paths';
import { resizeToSquareRgb } from './resize';
import type { InputFile, SkippedFile } from './types';

const SIDE = 32;
const PIXELS = SIDE * SIDE * 3; // 3072
const PLANE = SIDE * SIDE; // 1024

type Variant = 'cifar10' | 'cifar100';

const SPEC = {
  cifar10: { title: 'CIFAR-10', recordBytes: 1 + PIXELS, labelByte: 0, numClasses: 10, metaName: 'batches.meta.txt', names: CIFAR10_CLASS_NAMES },
  cifar100: { title: 'CIFAR-100', recordBytes: 2 + PIXELS, labelByte: 1, numClasses: 100, metaName: 'fine_label_names.txt', names: CIFAR100_CLASS_NAMES },
} as const;

/** True for files the CIFAR importer reads: .bin batches and its class-name files. */
export function isCifarFile(path: string): boolean {
  const name = baseName(path).toLowerCase();
  return name.endsWith('.bin') || name === SPEC.cifar10.metaName || name === SPEC.cifar100.metaName;
}

interface Batch {
  file: InputFile;
  variant: Variant;
  isTest: boolean;
  numRecords: number;
}

/** The CIFAR variant a batch file is, by name first and record size second; or why it is none. */
function classify(file: InputFile): Batch | SkippedFile {
  const name = baseName(file.path).toLowerCase();
  const n = file.bytes.length;
  const fits = (v: Variant): boolean => n % SPEC[v].recordBytes === 0;
  let variant: Variant | null = null;
  if (/^(data_batch_\d+|test_batch)\.bin$/.test(name)) variant = 'cifar10';
  else if (/^(train|test)\.bin$/.test(name)) variant = 'cifar100';
  else if (fits('cifar10') !== fits('cifar100')) variant = fits('cifar10') ? 'cifar10' : 'cifar100';
  if (n === 0) return { path: file.path, reason: 'is empty (0 bytes)' };
  if (variant === null) {
    return {
      path: file.path,
      reason: 'is not a CIFAR binary batch: its size fits neither CIFAR-10 nor CIFAR-100; choose the .bin files of the "binary version" ' +
        `(data_batch_1.bin … test_batch.bin, or train.bin and test.bin) (${n} bytes is a whole number of neither 3073-byte CIFAR-10 records nor 3074-byte CIFAR-100 records)`,
    };
  }
  const spec = SPEC[variant];
  if (!fits(variant)) {
    const whole = Math.floor(n / spec.recordBytes);
    const extra = n - whole * spec.recordBytes;
    return {
      path: file.path,
      reason:
        `is incomplete or not a ${spec.title} batch: it does not hold a whole number of images; download it again (it is not a whole number of ` +
        `${spec.recordBytes}-byte ${spec.title} records of ${spec.labelByte + 1} label byte${spec.labelByte ? 's' : ''} + 3072 pixels: ${n} bytes = ${whole} records + ${extra} bytes)`,
    };
  }
  return { file, variant, isTest: /test/.test(name), numRecords: n / spec.recordBytes };
}

/** Why a batch's labels are unusable, or null when every label is in range. */
function checkLabels(batch: Batch): string | null {
  const spec = SPEC[batch.variant];
  const b = batch.file.bytes;
  for (let r = 0; r < batch.numRecords; r++) {
    const off = r * spec.recordBytes;
    if (batch.variant === 'cifar100' && b[off]! >= 20) {
      return `is damaged or not a CIFAR-100 batch: it holds a label CIFAR-100 does not have (record ${r + 1} has coarse label ${b[off]}, but CIFAR-100 coarse labels are 0–19)`;
    }
    const label = b[off + spec.labelByte]!;
    if (label >= spec.numClasses) {
      const renamed = batch.variant === 'cifar10' ? '; a CIFAR-100 file renamed?' : '';
      return `is damaged or not a ${spec.title} batch: it holds a label ${spec.title} does not have (record ${r + 1} has label ${label}, but ${spec.title} labels are 0–${spec.numClasses - 1}${renamed})`;
    }
  }
  return null;
}

/** Class names from the names file when it lists exactly the right number, else the standard ones. */
function classNamesFor(variant: Variant, files: InputFile[], warnings: string[]): string[] {
  const spec = SPEC[variant];
  const meta = files.find((f) => baseName(f.path).toLowerCase() === spec.metaName);
  if (!meta) return [...spec.names];
  const names = parseNameLines(strFromU8(meta.bytes));
  if (names.length === spec.numClasses) return names;
  warnings.push(`${meta.path} lists ${names.length} class names, ${spec.title} has ${spec.numClasses}: using the standard ${spec.title} names`);
  return [...spec.names];
}

/** CHW record pixels at `src[off..off+3072)` → [size, size, 3] at `dst[dstOff..]`. */
function writeRecord(src: Uint8Array, off: number, size: number, dst: Uint8Array, dstOff: number, hwc: Uint8Array): void {
  const target = size === SIDE ? dst : hwc;
  const base = size === SIDE ? dstOff : 0;
  for (let p = 0; p < PLANE; p++) {
    target[base + p * 3] = src[off + p]!;
    target[base + p * 3 + 1] = src[off + PLANE + p]!;
    target[base + p * 3 + 2] = src[off + 2 * PLANE + p]!;
  }
  if (size !== SIDE) resizeToSquareRgb(hwc, SIDE, SIDE, 3, size, dst, dstOff);
}

/**
 * Imports CIFAR binary batches (and their names file) from `files`. Unusable batches land in
 * `skipped`; the result may hold zero images (importFiles turns that into a DatasetImportError).
 */
export function importCifar(files: InputFile[], opts: FormatImportOptions): FormatImport {
  const skipped: SkippedFile[] = [];
  const warnings: string[] = [];
  const batches: Batch[] = [];
  for (const file of files.filter((f) => baseName(f.path).toLowerCase().endsWith('.bin'))) {
    const c = classify(file);
    if ('reason' in c) skipped.push(c);
    else batches.push(c);
  }
  // One variant per import: the one with more records wins.
  const recordsOf = (v: Variant): number => batches.filter((b) => b.variant === v).reduce((a, b) => a + b.numRecords, 0);
  const variant: Variant = recordsOf('cifar100') > recordsOf('cifar10') ? 'cifar100' : 'cifar10';
  const spec = SPEC[variant];
  const usable: Batch[] = [];
  for (const b of batches) {
    if (b.variant !== variant) {
      skipped.push({ path: b.file.path, reason: `is a ${SPEC[b.variant].title} batch, but this import is ${spec.title}; import the two datasets separately` });
      continue;
    }
    const problem = checkLabels(b);
    if (problem) skipped.push({ path: b.file.path, reason: problem });
    else usable.push(b);
  }
  usable.sort((a, b) => Number(a.isTest) - Number(b.isTest) || naturalCompare(a.file.path, b.file.path));
  const classNames = classNamesFor(variant, files, warnings);

  const quotas = splitBudget(
    usable.map((b) => b.numRecords),
    opts.maxImages,
  );
  const numImages = quotas.reduce((a, b) => a + b, 0);
  const { size } = opts;
  const images = allocateImages(numImages, size);
  const labels = new Int32Array(numImages);
  const isTest = new Uint8Array(numImages);
  const hwc = new Uint8Array(PIXELS);
  let idx = 0;
  usable.forEach((batch, i) => {
    const quota = quotas[i]!;
    const bytes = batch.file.bytes;
    for (let r = 0; r < quota; r++) {
      const off = r * spec.recordBytes;
      labels[idx] = bytes[off + spec.labelByte]!;
      isTest[idx] = batch.isTest ? 1 : 0;
      writeRecord(bytes, off + spec.labelByte + 1, size, images, idx * size * size * 3, hwc);
      idx++;
      if (r % 2000 === 0) opts.progress(`Reading ${baseName(batch.file.path)}`, idx / Math.max(1, numImages));
    }
    if (quota < batch.numRecords) {
      skipped.push({ path: batch.file.path, reason: `records ${quota + 1}–${batch.numRecords} not imported: the import keeps at most ${opts.maxImages} images (maxImages)` });
    }
  });
  opts.progress(`Read ${numImages} ${spec.title} images`, 1);
  const hasTest = isTest.some((t) => t === 1);
  return {
    format: variant,
    set: { images, labels, numImages, height: size, width: size },
    classNames,
    isSourceTest: hasTest ? isTest : null,
    skipped,
    warnings,
  };
}

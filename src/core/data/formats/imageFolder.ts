/**
 * A folder (or zip) of PNG / JPEG / WebP files → uint8 RGB images, labelled by class folder.
 *
 * Layout, as torchvision's ImageFolder: root/<class>/…/<image>; the class is the first folder level
 * under the root, deeper folders belong to their class, classes are indexed in sorted order. The
 * root is the longest folder prefix all images share. Images lying directly in the root, with no
 * class folders anywhere, form an unlabelled set. One exception keeps a single-class drop labelled:
 * when all images share a folder two or more levels deep ("pets/cats/…", as a folder pick of
 * "pets" holding only "cats" gives), that last folder is the one class (with a warning).
 * Files are recognised by magic bytes, never by extension alone; width and height are read from
 * the header first, so oversized or impossible images are skipped before a decoder allocates them
 * (imageBudget.ts), and decoding stops at the import's decoding budget in pixels. Images are
 * decoded one at a time through the injected decoder and resized straight into the output.
 * Must not import: tfjs, DOM.
 */
import { errorMessage, FileFormatError } from './formatError';
import { imageHeaderProblem, overDecodeBudget } from './imageBudget';
import { isDecodable, readImageDims, sniffImageType, type DecodableImageType, type ImageDims } from './imageSniff';
import { MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE } from './limits';
import { allocateImages, trimTo, type FormatImport, type FormatImportOptions } from './outputSet';
import { dirParts, extensionOf, isJunkPath, naturalCompare, normalizePath } from './paths';
import { resizeToSquareRgb } from './resize';
import type { ImageDecoder, InputFile, SkippedFile } from './types';

const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'jpe', 'jfif', 'webp']);
const ARCHIVE_EXTENSIONS = new Set(['zip', 'gz', 'tgz', 'tar']);

/** A file that passed screening: its type and header size. */
interface Screened {
  file: InputFile;
  type: DecodableImageType;
  dims: ImageDims;
}

interface Candidate extends Screened {
  /** Class folder, or null at the root. */
  classFolder: string | null;
}

/** Why a file cannot be an input image, or its type and header size when it can. */
function screen(file: InputFile): { type: DecodableImageType; dims: ImageDims } | string {
  if (file.bytes.length === 0) return 'is empty (0 bytes)';
  const type = sniffImageType(file.bytes);
  const ext = extensionOf(file.path);
  if (type !== null && !isDecodable(type)) return `is a ${type.toUpperCase()} image; only PNG, JPEG and WebP are imported: convert it`;
  if (type === null) {
    if (ARCHIVE_EXTENSIONS.has(ext)) return `is named .${ext} but is not a ${ext} archive (its first bytes are wrong): it is corrupt or renamed; download it again`;
    if (IMAGE_EXTENSIONS.has(ext)) return `is named .${ext} but its bytes are not a PNG, JPEG or WebP image: the file is corrupt or renamed`;
    return 'is not an image (only PNG, JPEG and WebP files are imported)';
  }
  const dims = readImageDims(file.bytes, type);
  if (dims === null) return type === 'png' ? 'is a truncated PNG: its header ends before the image size' : type;
  return imageHeaderProblem(file.bytes, type, dims) ?? { type, dims };
}

/** Class folder of every image (see the file header), plus the root's name; drops root images when classes exist. */
function assignClasses(files: Screened[], skipped: SkippedFile[], warnings: string[]): { candidates: Candidate[]; rootName: string | null } {
  if (files.length === 0) return { candidates: [], rootName: null };
  const dirs = files.map((f) => dirParts(f.file.path));
  let common = dirs[0] ?? [];
  for (const d of dirs) {
    let i = 0;
    while (i < common.length && i < d.length && common[i] === d[i]) i++;
    common = common.slice(0, i);
  }
  const rootName = common[0] ?? null;
  const isAllAtRoot = dirs.every((d) => d.length === common.length);
  if (isAllAtRoot) {
    const single = common.length >= 2 ? common[common.length - 1]! : null;
    if (!single) warnings.push('The images are not in class folders, so they are imported unlabelled (no kNN accuracy). Put each class in its own sub-folder to get labels.');
    return { candidates: files.map((f) => ({ ...f, classFolder: single })), rootName };
  }
  const candidates: Candidate[] = [];
  files.forEach((f, i) => {
    const d = dirs[i]!;
    if (d.length === common.length) {
      skipped.push({ path: f.file.path, reason: `lies directly in ${common.length ? `the top folder "${common.join('/')}"` : 'the top level'}, outside the class folders, so it has no label; move it into a class folder` });
    } else {
      candidates.push({ ...f, classFolder: d[common.length]! });
    }
  });
  return { candidates, rootName };
}

/** At most `budget` candidates, taken round-robin over classes so every class keeps its share. */
function selectWithinBudget(byClass: Candidate[][], budget: number | undefined, skipped: SkippedFile[]): Candidate[][] {
  const total = byClass.reduce((a, c) => a + c.length, 0);
  if (budget === undefined || budget >= total) return byClass;
  const taken = byClass.map(() => 0);
  let left = budget;
  while (left > 0) {
    for (let c = 0; c < byClass.length && left > 0; c++) {
      if (taken[c]! < byClass[c]!.length) {
        taken[c]!++;
        left--;
      }
    }
  }
  return byClass.map((list, c) => {
    const dropped = list.length - taken[c]!;
    if (dropped > 0) {
      const folder = list[0]!.classFolder;
      skipped.push({ path: folder ?? list[taken[c]!]!.file.path, reason: `${dropped} of ${list.length} images${folder ? ` in class folder "${folder}"` : ''} not imported: the import keeps at most ${budget} images (maxImages)` });
    }
    return list.slice(0, taken[c]!);
  });
}

/**
 * Imports image files, labelled by class folder. Unusable files land in `skipped` with a reason;
 * the result may hold zero images (importFiles turns that into a DatasetImportError).
 */
export async function importImageFolder(files: InputFile[], opts: FormatImportOptions & { decodeImage: ImageDecoder; maxPixels?: number }): Promise<FormatImport> {
  const skipped: SkippedFile[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  const images0: Screened[] = [];
  for (const raw of files) {
    const file = { path: normalizePath(raw.path), bytes: raw.bytes };
    if (isJunkPath(file.path)) continue;
    if (seen.has(file.path)) {
      skipped.push({ path: file.path, reason: 'is a duplicate path: a file with the same path was given earlier; only the first is used' });
      continue;
    }
    seen.add(file.path);
    const verdict = screen(file);
    if (typeof verdict === 'string') skipped.push({ path: file.path, reason: verdict });
    else images0.push({ file, ...verdict });
  }
  const { candidates, rootName } = assignClasses(images0, skipped, warnings);
  const isLabelled = candidates.some((c) => c.classFolder !== null);
  const classNames = isLabelled ? [...new Set(candidates.map((c) => c.classFolder!))].sort() : [];
  const byClass = isLabelled ? classNames.map((name) => candidates.filter((c) => c.classFolder === name)) : [candidates];
  for (const list of byClass) list.sort((a, b) => naturalCompare(a.file.path, b.file.path));
  const selected = selectWithinBudget(byClass, opts.maxImages, skipped).flat();

  const { size } = opts;
  const images = allocateImages(selected.length, size);
  const labels = isLabelled ? new Int32Array(selected.length) : null;
  const classIdx = new Map(classNames.map((n, i) => [n, i]));
  let n = 0;
  let usedPixels = 0;
  for (let i = 0; i < selected.length; i++) {
    const { file, classFolder, dims } = selected[i]!;
    opts.progress(`Decoding images (${i + 1}/${selected.length})`, i / selected.length);
    if (opts.maxPixels !== undefined && usedPixels + dims.width * dims.height > opts.maxPixels) {
      skipped.push({ path: file.path, reason: overDecodeBudget(opts.maxPixels, usedPixels, dims) });
      continue;
    }
    usedPixels += dims.width * dims.height;
    let pixels;
    try {
      pixels = await opts.decodeImage(file.bytes, file.path);
    } catch (e) {
      const msg = e instanceof FileFormatError ? e.reason : errorMessage(e).replace(`${file.path}: `, '');
      skipped.push({ path: file.path, reason: `could not be decoded: ${msg}` });
      continue;
    }
    const { width, height, data } = pixels;
    if (!(width > 0 && height > 0) || data.length < width * height * 4) {
      skipped.push({ path: file.path, reason: `could not be decoded: the decoder returned ${data.length} values for ${width}×${height} RGBA pixels` });
      continue;
    }
    if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) {
      skipped.push({ path: file.path, reason: `is ${width}×${height} pixels, over the limit of ${MAX_IMAGE_SIDE} px a side and ${MAX_IMAGE_PIXELS} pixels: shrink it first` });
      continue;
    }
    resizeToSquareRgb(data, width, height, 4, size, images, n * size * size * 3);
    if (labels) labels[n] = classIdx.get(classFolder!)!;
    n++;
  }
  opts.progress(`Decoded ${n} images`, 1);
  const finalLabels = labels ? trimTo(labels, n) : null;
  if (finalLabels) {
    const counts = classNames.map(() => 0);
    for (const l of finalLabels) counts[l]!++;
    const empty = classNames.filter((_, c) => counts[c] === 0);
    if (empty.length > 0 && n > 0) warnings.push(`Class folder${empty.length > 1 ? 's' : ''} ${empty.map((e) => `"${e}"`).join(', ')} ended up with no usable images`);
    if (counts.filter((c) => c > 0).length === 1) {
      warnings.push(`Only one class ("${classNames[counts.findIndex((c) => c > 0)]}"): kNN accuracy is meaningless. Add a sub-folder per class.`);
    }
  }
  return {
    name: rootName ?? undefined,
    format: 'image-folder',
    set: { images: trimTo(images, n * size * size * 3), labels: finalLabels, numImages: n, height: size, width: size },
    classNames,
    isSourceTest: null,
    skipped,
    warnings,
  };
}

/**
 * Entry point of the dataset importers: takes the files the user gave, unpacks archives, works out
 * what they are and hands them to the matching importer:
 *   CIFAR-10 / CIFAR-100 binary batches (.bin, usually in cifar-10-binary.tar.gz) → cifar.ts
 *   MNIST-style IDX files (raw or .gz)                                            → idx.ts
 *   PNG / JPEG / WebP images, loose, in folders or in a zip                       → imageFolder.ts
 * Everything unusable is listed in `skipped` with a reason; when nothing usable remains it throws
 * DatasetImportError naming the files and their problems. The result carries the set's
 * normalisation statistics (../normalization.ts: published for CIFAR/MNIST/Fashion, else computed).
 *
 * Budgets (limits.ts), checked against declared sizes before work and again while working: one
 * unpacking budget for every archive of the import, nested ones included, and one decoding budget
 * in pixels for every image it decodes, both in proportion to the size of the files given.
 * Memory: archives are unpacked to one buffer each (tar members are views into it); each importer
 * counts its images first and allocates the uint8 output once; encoded images are decoded one at a
 * time, so at most one full-size decoded image exists beside the output.
 * Must not import: tfjs, DOM.
 */
import { normalizationFor } from '../normalization';
import { expandArchives } from './archives';
import { importCifar, isCifarFile } from './cifar';
import { importIdx, isIdxBytes, isIdxName } from './idx';
import { importImageFolder } from './imageFolder';
import { decodeBudgetFor } from './limits';
import { sniffImageType } from './imageSniff';
import { checkMaxImages, type FormatImport } from './outputSet';
import { baseName, isJunkPath, normalizePath, stripArchiveExtension } from './paths';
import { createImportProgress } from './progress';
import { DatasetImportError, type ImportOptions, type ImportResult, type InputFile, type SkippedFile } from './types';
import { createUnpackBudget } from './unpackBudget';

/** Largest accepted output image side. */
export const MAX_IMPORT_SIZE = 1024;

/** How many skipped files the DatasetImportError message lists before "and N more". */
const MESSAGE_LISTED = 6;

type Kind = 'cifar' | 'idx' | 'images';

/** Which importers have something to read among the unpacked files, most specific first. */
function kindsPresent(files: InputFile[]): Kind[] {
  const kinds: Kind[] = [];
  if (files.some((f) => /\.bin$/i.test(f.path))) kinds.push('cifar');
  if (files.some((f) => isIdxBytes(f.bytes) || isIdxName(f.path))) kinds.push('idx');
  if (!kinds.length || files.some((f) => sniffImageType(f.bytes) !== null)) kinds.push('images');
  return kinds;
}

/** The dataset name: the single archive's name, else the importer's root folder, else the common top folder. */
function pickName(inputs: InputFile[], imported: FormatImport): string {
  if (inputs.length === 1 && /\.(tar\.gz|tgz|tar|zip|gz)$/i.test(inputs[0]!.path)) return stripArchiveExtension(inputs[0]!.path);
  if (imported.name) return imported.name;
  const paths = inputs.map((f) => normalizePath(f.path));
  const tops = new Set(paths.map((p) => p.split('/')[0]));
  if (tops.size === 1 && paths.every((p) => p.includes('/'))) return [...tops][0]!;
  if (imported.format === 'idx' && imported.classNames[0] === 'T-shirt/top') return 'Fashion-MNIST';
  const defaults: Record<ImportResult['format'], string> = { cifar10: 'CIFAR-10', cifar100: 'CIFAR-100', idx: 'MNIST', 'image-folder': 'images' };
  return defaults[imported.format];
}

/** The error thrown when nothing usable remains: names the inputs and the first problems. */
function nothingUsable(inputs: InputFile[], allSkipped: SkippedFile[]): DatasetImportError {
  if (inputs.length === 0) return new DatasetImportError('No files were given: choose a dataset archive (.tar.gz, .zip), CIFAR .bin batches, MNIST IDX files or a folder of images.');
  // several importers may have tried the same file: keep the first (most specific) reason per path
  const seen = new Set<string>();
  const skipped = allSkipped.filter((s) => !seen.has(s.path) && seen.add(s.path));
  const given = inputs.length === 1 ? inputs[0]!.path : `${inputs.length} files`;
  const listed = skipped.slice(0, MESSAGE_LISTED).map((s) => `${s.path}: ${s.reason}`);
  const more = skipped.length > MESSAGE_LISTED ? `\n(and ${skipped.length - MESSAGE_LISTED} more)` : '';
  const why = listed.length ? `\n${listed.join('\n')}${more}` : '\nIt holds no files.';
  return new DatasetImportError(
    `No usable images in ${given}. Expected CIFAR-10/100 binary batches, MNIST-style IDX files or PNG/JPEG/WebP images (in class folders for labels).${why}`,
    skipped,
  );
}

/**
 * Imports a dataset from the given files (see the file header). Progress goes to opts.onProgress
 * as (stage, fraction of the whole import), the fraction non-decreasing and ending at 1.
 * Throws DatasetImportError when nothing usable remains, RangeError on invalid options.
 */
export async function importFiles(files: InputFile[], opts: ImportOptions): Promise<ImportResult> {
  if (!(Number.isInteger(opts.size) && opts.size >= 1 && opts.size <= MAX_IMPORT_SIZE)) {
    throw new RangeError(`Image size must be a whole number from 1 to ${MAX_IMPORT_SIZE}, got ${opts.size}`);
  }
  checkMaxImages(opts.maxImages);
  if (files.length === 0) throw nothingUsable(files, []);
  const progress = createImportProgress(opts.onProgress);
  const unpack = progress.phase(0, 0.15);
  const inputBytes = files.reduce((a, f) => a + f.bytes.length, 0);
  const totalBytes = inputBytes || 1;
  const budget = createUnpackBudget(inputBytes);
  let doneBytes = 0;
  const unpacked: InputFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const f of files) {
    const ex = expandArchives([f], (path) => unpack(`Unpacking ${baseName(path)}`, doneBytes / totalBytes), budget);
    unpacked.push(...ex.files);
    skipped.push(...ex.skipped);
    doneBytes += f.bytes.length;
    unpack('Unpacked', doneBytes / totalBytes);
  }
  const usable = unpacked.filter((f) => !isJunkPath(f.path));
  const importOpts = { size: opts.size, maxImages: opts.maxImages, progress: progress.phase(0.15, 1) };
  const inputName = files.length === 1 ? stripArchiveExtension(files[0]!.path) : '';

  let imported: FormatImport | null = null;
  let triedSkipped: SkippedFile[] = [];
  for (const kind of kindsPresent(usable)) {
    let ignored: InputFile[];
    if (kind === 'cifar') {
      ignored = usable.filter((f) => !isCifarFile(f.path));
      imported = importCifar(usable.filter((f) => isCifarFile(f.path)), importOpts);
    } else if (kind === 'idx') {
      const isIdx = (f: InputFile): boolean => isIdxBytes(f.bytes) || isIdxName(f.path);
      ignored = usable.filter((f) => !isIdx(f));
      imported = importIdx(usable.filter(isIdx), importOpts, inputName);
    } else {
      ignored = [];
      imported = await importImageFolder(usable, { ...importOpts, decodeImage: opts.decodeImage, maxPixels: decodeBudgetFor(inputBytes) });
    }
    triedSkipped.push(...imported.skipped);
    if (imported.set.numImages > 0) {
      const what = imported.format === 'image-folder' ? 'images' : imported.format === 'idx' ? 'IDX' : imported.format === 'cifar10' ? 'CIFAR-10' : 'CIFAR-100';
      const ignoredSkips = ignored.map((f) => ({ path: f.path, reason: `ignored: not part of the ${what} data this import found` }));
      triedSkipped = [...imported.skipped, ...ignoredSkips];
      break;
    }
  }
  const allSkipped = [...skipped, ...triedSkipped];
  if (!imported || imported.set.numImages === 0) throw nothingUsable(files, allSkipped);
  const name = pickName(files, imported);
  // Published statistics for CIFAR/MNIST/Fashion, else one pass over the pixels (before 'Done').
  const normalization = normalizationFor({ format: imported.format, name, classNames: imported.classNames, set: imported.set });
  progress.phase(0, 1)('Done', 1);
  return {
    name,
    format: imported.format,
    set: imported.set,
    classNames: imported.classNames,
    isSourceTest: imported.isSourceTest,
    skipped: allSkipped,
    warnings: imported.warnings,
    normalization,
  };
}

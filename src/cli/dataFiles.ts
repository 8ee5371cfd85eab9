/**
 * `--data PATH…`: the CLI reads the files a user would give the browser's dataset import — files,
 * folders (walked depth-first in name order, members named relative to the folder's parent, as a
 * browser folder picker names them), archives — and builds the run's Dataset through the SAME
 * importers (core/data/formats/importFiles.ts with the Node image decoder), the same limits
 * (core/data/formats/limits.ts) and the same split (core/data/runDataset.ts), so the same files and
 * settings give the same fingerprint as in the browser.
 * Sizes are checked with stat before anything is read; what cannot be used is listed with why.
 * Must not import: worker/, ui/, gpu/.
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { RunConfig } from '../core/config/runConfig';
import { importFiles } from '../core/data/formats/importFiles';
import { maxImagesAt, MAX_FILE_BYTES, MAX_TOTAL_INPUT_BYTES } from '../core/data/formats/limits';
import { nodeImageDecoder } from '../core/data/formats/nodeImageDecoder';
import { DatasetImportError, type ImportResult, type InputFile, type SkippedFile } from '../core/data/formats/types';
import { buildRunDataset, DatasetTooSmallError } from '../core/data/runDataset';
import type { Dataset } from '../core/data/types';
import { CliError } from './cliError';
import type { CliOutput } from './output';

/** How many skipped files the report lists before "and N more". */
const LISTED_SKIPPED = 10;
/** Most files a folder walk visits (a path to / by mistake stops here with a message). */
const MAX_WALKED = 200_000;

const formatBytes = (n: number): string =>
  n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KB` : n < 1024 ** 3 ? `${(n / 1024 ** 2).toFixed(1)} MB` : `${(n / 1024 ** 3).toFixed(2)} GB`;

/** A file to read: where it is and the path the importer sees. */
interface Planned { full: string; path: string; size: number }

/** The regular files under the given paths, in order, with sizes; the rest becomes skipped entries. */
function plan(paths: readonly string[], skipped: SkippedFile[]): Planned[] {
  const out: Planned[] = [];
  // Folders already walked, by device and inode: a symlink back to a parent (or a second path to a
  // folder) is read once, not followed into a loop whose walk grows exponentially.
  const seenFolders = new Set<string>();
  const visit = (full: string, path: string): void => {
    let st;
    try {
      st = statSync(full);
    } catch (e) {
      skipped.push({ path, reason: `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}); check the path.` });
      return;
    }
    if (st.isDirectory()) {
      const key = `${st.dev}:${st.ino}`;
      if (seenFolders.has(key)) {
        skipped.push({ path, reason: 'is a folder already read (a link back to a parent, or a second path to it); read once.' });
        return;
      }
      seenFolders.add(key);
      for (const name of readdirSync(full).sort()) {
        if (out.length >= MAX_WALKED) throw new CliError(`${full} holds more than ${MAX_WALKED} files.`, 'Point --data at the dataset folder or archive itself.');
        visit(join(full, name), `${path}/${name}`);
      }
    } else if (!st.isFile()) {
      skipped.push({ path, reason: 'is not a regular file (a device, FIFO or socket); only files and folders are read.' });
    } else if (st.size > MAX_FILE_BYTES) {
      skipped.push({ path, reason: `is ${formatBytes(st.size)}; files over ${formatBytes(MAX_FILE_BYTES)} are not read.` });
    } else {
      out.push({ full, path, size: st.size });
    }
  };
  for (const p of paths) {
    // A folder's members are named from the folder itself ("toys/cats/1.png"), a file by its name.
    const full = resolve(p);
    visit(full, basename(full));
  }
  return out;
}

/** Reads exactly `size` bytes of a file whose size stat reported (a file that grows is not followed). */
function readSized(p: Planned): Uint8Array {
  const bytes = new Uint8Array(p.size);
  const fd = openSync(p.full, 'r');
  try {
    let done = 0;
    while (done < p.size) {
      const n = readSync(fd, bytes, done, p.size - done, done);
      if (n === 0) break;
      done += n;
    }
    return done === p.size ? bytes : bytes.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

/** What `--data` gave: the import (name, format, skipped files) and the run's Dataset. */
export interface DataFilesImport {
  result: ImportResult;
  dataset: Dataset;
}

/**
 * Reads and imports the `--data` paths at `imageSize`, then splits them for `config`.
 * `name` names the set (a resume keeps the checkpoint's); default: the importer's name.
 * `imageSize`: the side the images are decoded to; default: the run's view size, as the browser
 * imports at its view size (a resume uses the checkpoint's: the view size may have changed after
 * the set was imported, and the stored set keeps the size it was imported at).
 * Throws CliError naming the files and what to do.
 */
export async function importDataFiles(paths: readonly string[], config: RunConfig, out: CliOutput, name?: string, imageSize: number = config.imageSize): Promise<DataFilesImport> {
  const skipped: SkippedFile[] = [];
  const planned = plan(paths, skipped);
  const total = planned.reduce((n, p) => n + p.size, 0);
  if (total > MAX_TOTAL_INPUT_BYTES) {
    throw new CliError(`The --data files add up to ${formatBytes(total)}; at most ${formatBytes(MAX_TOTAL_INPUT_BYTES)} are read at once, as in the browser.`, 'Give a part of them (e.g. the training batches only).');
  }
  const inputs: InputFile[] = planned.map((p) => ({ path: p.path, bytes: readSized(p) }));
  if (inputs.length === 0) {
    const why = skipped.slice(0, 3).map((s) => `${s.path}: ${s.reason}`).join('; ');
    throw new CliError(`None of the --data paths could be read${why ? ` (${why})` : ''}.`, 'Give the dataset files, folder or archive the run was (or should be) trained on.');
  }
  const bar = out.progress({ label: `importing ${inputs.length === 1 ? inputs[0]!.path : `${inputs.length} files`}`, total: 100, lineEvery: 100 });
  let result: ImportResult;
  try {
    result = await importFiles(inputs, { size: imageSize, decodeImage: nodeImageDecoder, maxImages: maxImagesAt(imageSize), onProgress: (_stage, f) => bar?.update(Math.round(100 * f)) });
  } catch (e) {
    if (e instanceof DatasetImportError) throw new CliError(e.message, 'Fix or remove the files named above, or give other --data paths.');
    throw e;
  } finally {
    bar?.finish();
  }
  const allSkipped = [...skipped, ...result.skipped];
  if (allSkipped.length) {
    const listed = allSkipped.slice(0, LISTED_SKIPPED).map((s) => `  ${s.path}: ${s.reason}`);
    const more = allSkipped.length > LISTED_SKIPPED ? [`  (and ${allSkipped.length - LISTED_SKIPPED} more)`] : [];
    out.info([`${allSkipped.length} file(s) skipped, as the browser's import would:`, ...listed, ...more].join('\n'));
  }
  for (const w of result.warnings) out.warn(w);
  const isLabelled = result.set.labels !== null;
  try {
    const dataset = buildRunDataset({
      name: name ?? result.name, format: result.format, images: result.set.images, labels: result.set.labels, numImages: result.set.numImages,
      imageSize, classNames: isLabelled ? result.classNames : [], isSourceTest: result.isSourceTest, normalization: result.normalization,
    }, config);
    return { result: { ...result, skipped: allSkipped }, dataset };
  } catch (e) {
    if (e instanceof DatasetTooSmallError) throw new CliError(e.message, e.hint.replace(/“([^”]+)”/g, (_m, label: string) => `“${label}” (--set)`));
    throw e;
  }
}

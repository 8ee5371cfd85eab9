/**
 * `--log-views FILE` of `train` and `resume`: the per-view augmentation log of every selection step
 * of the run (core/analysis/viewLogRow.ts documents the columns), appended to FILE as the run goes,
 * so a crash or Ctrl-C keeps the steps logged so far. The extension picks the format: .csv (comment
 * lines documenting each column, then the column row) or .jsonl / .ndjson (a header line, then one
 * object per row). An existing FILE is only replaced with --force.
 * Must not import: worker/, ui/, gpu/.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { extname } from 'node:path';
import { viewLogCsvHeader, viewLogCsvRows, viewLogJsonlHeader, viewLogJsonlRows } from '../core/analysis/viewLogRow';
import { viewLogRows, type ViewLogStep } from '../core/hvp/viewLog';
import { checkOutputFile } from './checkpointIo';
import { CliError, UsageError } from './cliError';

/** File formats of the log, by extension. */
const FORMATS: Readonly<Record<string, 'csv' | 'jsonl'>> = { '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl' };

/** An open log file. */
export interface ViewLogFile {
  readonly path: string;
  readonly format: 'csv' | 'jsonl';
  /** Appends a logged step's rows. Throws CliError when the write fails (disk full, …). */
  append(step: ViewLogStep): void;
  /** Flushes to disk and closes; idempotent. */
  close(): void;
  readonly numRows: number;
  readonly numSteps: number;
}

/** Checks FILE (extension, directory, existing file) before any training; throws UsageError. */
export function checkViewLogPath(path: string, force: boolean): 'csv' | 'jsonl' {
  const format = FORMATS[extname(path).toLowerCase()];
  if (!format) throw new UsageError(`--log-views ${path}: unknown format "${extname(path) || '(no extension)'}".`, 'Name a .csv or a .jsonl file, e.g. --log-views views.csv.');
  checkOutputFile(path, { force });
  return format;
}

/** Creates (or with force replaces) FILE and writes its header. */
export function openViewLog(path: string, force: boolean): ViewLogFile {
  const format = checkViewLogPath(path, force);
  let fd: number | null = null;
  const write = (text: string) => {
    if (fd === null) return;
    try {
      writeSync(fd, text);
    } catch (e) {
      throw new CliError(`Writing the view log ${path} failed: ${(e as Error).message}`, 'Free disk space or choose another --log-views path; the rows written so far are kept.');
    }
  };
  try {
    fd = openSync(path, 'w');
  } catch (e) {
    throw new CliError(`Cannot create the view log ${path}: ${(e as Error).message}`, 'Choose another --log-views path.');
  }
  write(format === 'csv' ? viewLogCsvHeader() : `${viewLogJsonlHeader()}\n`);
  let numRows = 0, numSteps = 0;
  return {
    path,
    format,
    append(step) {
      const rows = viewLogRows(step);
      write(format === 'csv' ? viewLogCsvRows(rows) : viewLogJsonlRows(rows));
      numRows += rows.length;
      numSteps += 1;
    },
    close() {
      if (fd === null) return;
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
        fd = null;
      }
    },
    get numRows() {
      return numRows;
    },
    get numSteps() {
      return numSteps;
    },
  };
}

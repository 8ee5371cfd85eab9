/**
 * Reads a view-log file (viewLogRow.ts: the CLI's `--log-views FILE`, or the Analysis panel's export)
 * back into ViewLogRow[] — CSV (`# …` comment lines, the column row, one line per candidate) or
 * JSON Lines (a header object naming the format and version, then one object per candidate).
 * The file is untrusted: an unknown format or version, missing columns, a cell that is not a finite
 * number, a row of the wrong width or more rows than MAX_VIEW_LOG_ROWS are refused with a
 * ViewLogParseError (a UserError) saying where the problem is and what to do. Extra columns (e.g.
 * pandas' index) are ignored; a CSV without the comment lines (re-saved by pandas) is read when its
 * column row names every column.
 * Must not import: tfjs, DOM; nothing from core's folders.
 */
import { UserError } from '../userError';
import { TEXT_COLUMNS, VIEW_LOG_COLUMNS, VIEW_LOG_FORMAT, VIEW_LOG_VERSION, type ViewLogRow } from './viewLogRow';

/** Most rows a file may hold (about 1,300 selection steps of the default run; ~400 bytes per row in memory). */
export const MAX_VIEW_LOG_ROWS = 500_000;

/** A view-log file that cannot be read: `message` says what and where, `hint` what to do. */
export class ViewLogParseError extends UserError {
  override name = 'ViewLogParseError';
}

/** Settings of parseViewLog. */
export interface ViewLogParseOptions {
  /** Most rows accepted (default MAX_VIEW_LOG_ROWS). */
  readonly maxRows?: number;
  /** Name of the file, for the messages (default "the view log"). */
  readonly fileName?: string;
}

/** What parseViewLog read. */
export interface ParsedViewLog {
  readonly format: 'csv' | 'jsonl';
  readonly rows: ViewLogRow[];
}

const COLUMN_NAMES = VIEW_LOG_COLUMNS.map(([n]) => n);
const HINT_EXPORT = 'Use a file written by `npm run cli -- train … --log-views FILE` or by the Analysis panel’s CSV / JSON Lines export.';
/** Cells and values quoted in a message are cut to this many characters. */
const MAX_QUOTE = 40;

const quote = (s: string): string => JSON.stringify(s.length > MAX_QUOTE ? `${s.slice(0, MAX_QUOTE)}…` : s);

/** "a, b and 3 more" */
function listNames(names: readonly string[], max = 8): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** Parses CSV or JSON Lines text (told apart by the first character that is not white space). */
export function parseViewLog(text: string, options: ViewLogParseOptions = {}): ParsedViewLog {
  const maxRows = options.maxRows ?? MAX_VIEW_LOG_ROWS;
  const file = options.fileName ?? 'the view log';
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a byte-order mark
  const first = body.trimStart()[0];
  if (first === undefined) throw new ViewLogParseError(`${file} is empty.`, HINT_EXPORT);
  const rows = first === '{' ? parseJsonl(body, file, maxRows) : parseCsv(body, file, maxRows);
  if (rows.length === 0) {
    throw new ViewLogParseError(`${file} has the view-log columns but no rows.`, 'Log a run with HVP selection on (hvpMode hard or easy) for a few steps, then load its view log.');
  }
  return { format: first === '{' ? 'jsonl' : 'csv', rows };
}

/** Lines without their line ends (LF or CRLF), with 1-based line numbers, blank lines skipped. */
function* lines(text: string): Generator<[string, number]> {
  let start = 0;
  let lineNo = 1;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    if (line.trim() !== '') yield [line, lineNo];
    start = end + 1;
    lineNo++;
  }
}

/** The cells of one CSV line: comma-separated, "…" quoting with "" for a quote (as pandas writes). */
function splitCsv(line: string, lineNo: number, file: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new ViewLogParseError(`${file}, line ${lineNo}: a quoted cell is not closed.`, HINT_EXPORT);
        cell += line.slice(i, q);
        if (line[q + 1] === '"') {
          cell += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      if (i < line.length && line[i] !== ',') throw new ViewLogParseError(`${file}, line ${lineNo}: text after a quoted cell.`, HINT_EXPORT);
    } else {
      const c = line.indexOf(',', i);
      const end = c < 0 ? line.length : c;
      cell = line.slice(i, end);
      i = end;
    }
    cells.push(cell);
    if (i >= line.length) return cells;
    i++; // the comma
    if (i === line.length) {
      cells.push('');
      return cells;
    }
  }
}

/** Index of each known column in the file's columns; throws naming the missing ones. */
function columnIndex(names: readonly string[], file: string, where: string): Map<string, number> {
  const index = new Map<string, number>();
  names.forEach((n, i) => {
    if (!index.has(n)) index.set(n, i);
  });
  const missing = COLUMN_NAMES.filter((n) => !index.has(n));
  if (missing.length > 0) {
    throw new ViewLogParseError(
      `${file}: ${where} lacks ${missing.length} of the ${COLUMN_NAMES.length} view-log column${missing.length === 1 ? '' : 's'}: ${listNames(missing)}.`,
      `Is it a view log of an older or newer app version, or was it edited? ${HINT_EXPORT}`,
    );
  }
  return index;
}

const tooMany = (file: string, maxRows: number): ViewLogParseError => new ViewLogParseError(
  `${file} has more than ${maxRows.toLocaleString('en-US')} rows, the most the analysis reads.`,
  'Keep a part of the run (e.g. the last steps: `tail`, or pandas `df[df.step >= …]`) and load that.',
);

/** A numeric cell as a finite number, or null when it is empty or not a finite number. */
function numberOf(cell: string): number | null {
  const s = cell.trim();
  if (s === '') return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

function parseCsv(text: string, file: string, maxRows: number): ViewLogRow[] {
  let header: string[] | null = null;
  let index: Map<string, number> | null = null;
  let isFirst = true;
  const rows: ViewLogRow[] = [];
  for (const [line, lineNo] of lines(text)) {
    if (header === null && line.startsWith('#')) {
      if (isFirst) checkCsvFormatLine(line, file);
      isFirst = false;
      continue;
    }
    isFirst = false;
    const cells = splitCsv(line, lineNo, file);
    if (header === null) {
      header = cells.map((c) => c.trim());
      index = columnIndex(header, file, `the column row (line ${lineNo})`);
      continue;
    }
    if (cells.length !== header.length) {
      throw new ViewLogParseError(`${file}, line ${lineNo} (row ${rows.length + 1}): ${cells.length} cells, but the column row has ${header.length}.`, `Was the file cut off or edited? ${HINT_EXPORT}`);
    }
    if (rows.length >= maxRows) throw tooMany(file, maxRows);
    const row: Record<string, number | string> = {};
    for (const name of COLUMN_NAMES) {
      const cell = cells[index!.get(name)!]!;
      if (TEXT_COLUMNS.has(name)) {
        row[name] = cell;
      } else {
        const v = numberOf(cell);
        if (v === null) {
          throw new ViewLogParseError(`${file}, line ${lineNo} (row ${rows.length + 1}), column ${name}: ${quote(cell)} is not a finite number.`, `Every column except ${[...TEXT_COLUMNS].join(', ')} holds numbers. ${HINT_EXPORT}`);
        }
        row[name] = v;
      }
    }
    rows.push(row as unknown as ViewLogRow);
  }
  if (header === null) throw new ViewLogParseError(`${file} has no column row, only comment lines.`, HINT_EXPORT);
  return rows;
}

/** The first comment line of a CSV: `# hvp-playground-view-log version N: …`; any other first comment is not a view log. */
function checkCsvFormatLine(line: string, file: string): void {
  const m = /^#\s*(\S+)\s+version\s+(\S+?):?(\s|$)/.exec(line);
  if (!m || m[1] !== VIEW_LOG_FORMAT) {
    throw new ViewLogParseError(`${file} is not a view log: its first line is ${quote(line)}, expected "# ${VIEW_LOG_FORMAT} version ${VIEW_LOG_VERSION}: …".`, HINT_EXPORT);
  }
  checkVersion(m[2]!, file);
}

function checkVersion(version: unknown, file: string): void {
  if (String(version) !== String(VIEW_LOG_VERSION)) {
    throw new ViewLogParseError(
      `${file} is a view log of version ${quote(String(version))}; this app reads version ${VIEW_LOG_VERSION}.`,
      'Open it with the app version that wrote it, or write the log again with this version.',
    );
  }
}

function parseJsonl(text: string, file: string, maxRows: number): ViewLogRow[] {
  const rows: ViewLogRow[] = [];
  let isHeader = true;
  for (const [line, lineNo] of lines(text)) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new ViewLogParseError(`${file}, line ${lineNo}: not valid JSON (${(e as Error).message}).`, `Was the file cut off or edited? ${HINT_EXPORT}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ViewLogParseError(`${file}, line ${lineNo}: expected a JSON object, found ${Array.isArray(value) ? 'an array' : quote(String(value))}.`, HINT_EXPORT);
    }
    const obj = value as Record<string, unknown>;
    if (isHeader) {
      isHeader = false;
      if (obj.format !== VIEW_LOG_FORMAT) {
        throw new ViewLogParseError(`${file} is not a view log: its first line has format ${quote(String(obj.format))}, expected "${VIEW_LOG_FORMAT}".`, HINT_EXPORT);
      }
      checkVersion(obj.version, file);
      if (typeof obj.columns === 'object' && obj.columns !== null && !Array.isArray(obj.columns)) {
        columnIndex(Object.keys(obj.columns), file, 'the header line (line 1)');
      }
      continue;
    }
    if (rows.length >= maxRows) throw tooMany(file, maxRows);
    const where = `${file}, line ${lineNo} (row ${rows.length + 1})`;
    const missing = COLUMN_NAMES.filter((n) => !(n in obj));
    if (missing.length > 0) throw new ViewLogParseError(`${where} lacks ${missing.length === 1 ? 'column' : 'columns'} ${listNames(missing)}.`, `Was the file edited? ${HINT_EXPORT}`);
    const row: Record<string, number | string> = {};
    for (const name of COLUMN_NAMES) {
      const v = obj[name];
      if (TEXT_COLUMNS.has(name)) {
        if (typeof v !== 'string' && typeof v !== 'number') throw new ViewLogParseError(`${where}, column ${name}: expected text, found ${quote(JSON.stringify(v) ?? String(v))}.`, HINT_EXPORT);
        row[name] = String(v);
      } else {
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          throw new ViewLogParseError(`${where}, column ${name}: ${quote(JSON.stringify(v) ?? String(v))} is not a finite number.`, `Every column except ${[...TEXT_COLUMNS].join(', ')} holds numbers. ${HINT_EXPORT}`);
        }
        row[name] = v;
      }
    }
    rows.push(row as unknown as ViewLogRow);
  }
  return rows;
}

// Reading view-log files back (viewLogParse.ts): rows of real trainer steps (tfjs CPU, tiny config)
// survive CSV and JSON Lines exactly, a pandas-style CSV (no comments, an index column, CRLF, quoted
// cells) reads the same, and untrusted files are refused with a message naming the problem.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetFor } from '../../../tests/helpers/builtinDatasetFor';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { viewLogRows } from '../hvp/viewLog';
import { createTrainer } from '../train/trainer';
import { isUserError } from '../userError';
import { MAX_VIEW_LOG_ROWS, parseViewLog, ViewLogParseError } from './viewLogParse';
import { VIEW_LOG_COLUMNS, viewLogCsv, viewLogJsonl, type ViewLogRow } from './viewLogRow';

let rows: ViewLogRow[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
  const config = tinyConfig({ method: 'simsiam', hvpMode: 'hard', numViews: 4 });
  const t = createTrainer(config, builtinDatasetFor(config));
  for (let s = 0; s < 2; s++) {
    const { viewLog } = await t.readStepMetrics(t.trainStep(), { withViewLog: true });
    rows.push(...viewLogRows(viewLog!));
  }
  t.dispose();
  // -0 prints as "0"; the log never needs the sign of a zero.
  rows = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Object.is(v, -0) ? 0 : v])) as unknown as ViewLogRow);
});

/** The error parseViewLog throws on `text`. */
function refusal(text: string, maxRows?: number): ViewLogParseError {
  try {
    parseViewLog(text, { fileName: 'views.csv', maxRows });
  } catch (e) {
    expect(e).toBeInstanceOf(ViewLogParseError);
    expect(isUserError(e)).toBe(true);
    expect((e as ViewLogParseError).hint).not.toBe('');
    return e as ViewLogParseError;
  }
  throw new Error('parseViewLog accepted the text');
}

describe('parseViewLog round trip', () => {
  it('reads the CSV writer back into equal rows', () => {
    expect(rows.length).toBe(2 * 4 * 6); // 2 steps × batch 4 × C(4, 2)
    const parsed = parseViewLog(viewLogCsv(rows));
    expect(parsed.format).toBe('csv');
    expect(parsed.rows).toEqual(rows);
    expect(typeof parsed.rows[0]!.a_jitter_order).toBe('string');
  });

  it('reads the JSON Lines writer back into equal rows', () => {
    const parsed = parseViewLog(viewLogJsonl(rows));
    expect(parsed.format).toBe('jsonl');
    expect(parsed.rows).toEqual(rows);
  });

  it('reads a pandas-style CSV: no comment lines, an index column, CRLF, quoted cells', () => {
    const names = VIEW_LOG_COLUMNS.map(([n]) => n);
    const withLocals = rows.map((r) => ({ ...r, locals: '0;1' }));
    const line = (r: ViewLogRow, i: number) => [String(i), ...names.map((n) => {
      const v = String((r as unknown as Record<string, unknown>)[n]);
      return n === 'locals' ? `"${v}"` : v;
    })].join(',');
    const text = [['', ...names].join(','), ...withLocals.map(line)].join('\r\n');
    expect(parseViewLog(text).rows).toEqual(withLocals);
  });
});

describe('parseViewLog refusals', () => {
  const csv = () => viewLogCsv(rows.slice(0, 3)).split('\n');
  const headerLine = () => csv().findIndex((l) => !l.startsWith('#'));

  it('refuses an empty file and a file of another format', () => {
    expect(refusal('').message).toMatch(/empty/);
    expect(refusal('# some-other-log version 1: x\na,b\n1,2\n').message).toMatch(/not a view log.*first line/);
    expect(refusal('{"format":"hvp-sweep-results","version":1}\n').message).toMatch(/not a view log.*format "hvp-sweep-results"/);
  });

  it('refuses another version, naming it', () => {
    const lines = csv();
    lines[0] = lines[0]!.replace('version 1', 'version 2');
    expect(refusal(lines.join('\n')).message).toMatch(/version "2".*reads version 1/);
    const jsonl = viewLogJsonl(rows.slice(0, 2)).replace('"version":1', '"version":7');
    expect(refusal(jsonl).message).toMatch(/version "7"/);
  });

  it('names the missing columns', () => {
    const lines = csv();
    const h = headerLine();
    const names = lines[h]!.split(',');
    const keep = names.map((n) => n !== 'iou' && n !== 'b_hue');
    const drop = (l: string) => l.split(',').filter((_, i) => keep[i]).join(',');
    for (let i = h; i < lines.length; i++) if (lines[i]) lines[i] = drop(lines[i]!);
    expect(refusal(lines.join('\n')).message).toMatch(/lacks 2 of the \d+ view-log columns: iou, b_hue/);
    const jsonl = viewLogJsonl(rows.slice(0, 2)).split('\n');
    const obj = JSON.parse(jsonl[2]!) as Record<string, unknown>;
    delete obj.loss;
    jsonl[2] = JSON.stringify(obj);
    expect(refusal(jsonl.join('\n')).message).toMatch(/line 3 \(row 2\) lacks column loss/);
  });

  it('names the row and column of a cell that is not a finite number', () => {
    const lines = csv();
    const h = headerLine();
    const col = lines[h]!.split(',').indexOf('loss');
    for (const bad of ['abc', '', 'NaN', 'Infinity']) {
      const copy = [...lines];
      const cells = copy[h + 2]!.split(',');
      cells[col] = bad;
      copy[h + 2] = cells.join(',');
      expect(refusal(copy.join('\n')).message).toContain(`line ${h + 3} (row 2), column loss: "${bad}" is not a finite number`);
    }
    const jsonl = viewLogJsonl(rows.slice(0, 2)).split('\n');
    jsonl[1] = jsonl[1]!.replace(/"iou":[^,]+/, '"iou":null');
    expect(refusal(jsonl.join('\n')).message).toMatch(/line 2 \(row 1\), column iou: "null" is not a finite number/);
  });

  it('refuses a row of the wrong width, bad JSON and more rows than the cap', () => {
    const lines = csv();
    const h = headerLine();
    lines[h + 1] = lines[h + 1]!.split(',').slice(0, 5).join(',');
    expect(refusal(lines.join('\n')).message).toMatch(/row 1\): 5 cells, but the column row has \d+/);
    const jsonl = viewLogJsonl(rows.slice(0, 2)).split('\n');
    jsonl[2] = jsonl[2]!.slice(0, 30);
    expect(refusal(jsonl.join('\n')).message).toMatch(/line 3: not valid JSON/);
    expect(refusal(viewLogCsv(rows.slice(0, 3)), 2).message).toMatch(/more than 2 rows/);
    expect(refusal(viewLogJsonl(rows.slice(0, 3)), 2).message).toMatch(/more than 2 rows/);
    expect(MAX_VIEW_LOG_ROWS).toBe(500_000);
  });

  it('refuses a file with columns but no rows', () => {
    expect(refusal(viewLogCsv([])).message).toMatch(/no rows/);
    expect(refusal(viewLogJsonl([])).message).toMatch(/no rows/);
  });
});

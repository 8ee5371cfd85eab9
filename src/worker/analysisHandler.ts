/**
 * The analysis worker's message handler ("Why are hard views hard?"), pure so Node tests run it
 * without a Worker: parseFile (size check → strict UTF-8 → core/analysis/viewLogParse.ts; the rows
 * stay here under a fileId, only a summary goes back), lossDrivers (random forest + fANOVA or
 * permutation shares of the per-pair loss, beside the paper's Fig. 8), choice (conditional logit:
 * held-out accuracy vs chance) and export (CSV / JSON Lines text). Every request gets exactly one
 * answer with its id: the result, or `error` with a message and a hint (a UserError's own hint, an
 * AnalysisInputError's message with advice, anything else as a bug).
 * Must not import: ui/, DOM, tfjs.
 */
import { choicePredictability } from '../core/analysis/choicePredictability';
import { lossDrivers } from '../core/analysis/lossDrivers';
import { DEFAULT_FOREST_OPTIONS } from '../core/analysis/randomForest';
import { AnalysisInputError } from '../core/analysis/regressionData';
import { choiceData, LOSS_DRIVER_FEATURES, lossDriverData, PAPER_LOSS_DRIVER_SHARES } from '../core/analysis/viewLogData';
import { parseViewLog, ViewLogParseError } from '../core/analysis/viewLogParse';
import { viewLogCsv, viewLogJsonl, type ViewLogRow } from '../core/analysis/viewLogRow';
import { isUserError } from '../core/userError';
import { ANALYSIS_PROTOCOL_VERSION, MAX_VIEW_LOG_FILE_BYTES, type AnalysisSource, type ForestSettings, type FromAnalysisWorker, type ToAnalysisWorker, type ViewLogSummary } from './analysisProtocol';
import { formatBytes } from './formatBytes';
import { serializeError } from './protocol';

/** Most bootstrap rows per tree: logs beyond this fit each tree on a sample, so a fit stays in seconds. */
export const MAX_BOOTSTRAP_ROWS = 50_000;

/** Hint of an analysis whose input was fine but which failed anyway. */
export const ANALYSIS_BUG_HINT = 'This looks like a bug in the app; please report it with the view log you used. The run and its charts are unaffected.';
/** Hint of too little or inconsistent data for a fit. */
export const ANALYSIS_INPUT_HINT = 'Train more HVP selection steps (hvpMode hard or easy, logged steps) or load a longer view log, then fit again.';

/** What the handler needs from its environment. */
export interface AnalysisHandlerDeps {
  post: (msg: FromAnalysisWorker) => void;
}

/** Counts of a log: steps, (step, image) groups, step and candidate ranges. */
export function summarizeRows(rows: readonly ViewLogRow[]): Omit<ViewLogSummary, 'fileId' | 'name' | 'format'> {
  let numSteps = 0, numGroups = 0;
  let minCandidates = Infinity, maxCandidates = -Infinity;
  let firstStep = Infinity, lastStep = -Infinity;
  rows.forEach((r, i) => {
    const prev = rows[i - 1];
    if (!prev || prev.step !== r.step) numSteps++;
    if (!prev || prev.step !== r.step || prev.image !== r.image) numGroups++;
    minCandidates = Math.min(minCandidates, r.num_candidates);
    maxCandidates = Math.max(maxCandidates, r.num_candidates);
    firstStep = Math.min(firstStep, r.step);
    lastStep = Math.max(lastStep, r.step);
  });
  const or0 = (v: number) => (Number.isFinite(v) ? v : 0);
  return { numRows: rows.length, numSteps, numGroups, firstStep: or0(firstStep), lastStep: or0(lastStep), minCandidates: or0(minCandidates), maxCandidates: or0(maxCandidates) };
}

/** Text of a view-log file: a string as is, bytes as strict UTF-8 (a binary file is refused). */
async function textOf(name: string, data: Blob | ArrayBuffer | string): Promise<string> {
  const size = typeof data === 'string' ? data.length : data instanceof ArrayBuffer ? data.byteLength : data.size;
  if (size > MAX_VIEW_LOG_FILE_BYTES) {
    throw new ViewLogParseError(`${name} is ${formatBytes(size)}; view logs over ${formatBytes(MAX_VIEW_LOG_FILE_BYTES)} are not read.`, 'Keep a part of the run (e.g. its last steps) in a smaller file and load that.');
  }
  if (typeof data === 'string') return data;
  const bytes = data instanceof ArrayBuffer ? data : await data.arrayBuffer();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ViewLogParseError(`${name} is not text (it is not valid UTF-8), so it is not a view log.`, 'Choose the .csv or .jsonl file written by `--log-views FILE` or by this panel’s export.');
  }
}

/** Builds the handler and posts `ready`. */
export function createAnalysisHandler(deps: AnalysisHandlerDeps): (msg: ToAnalysisWorker) => Promise<void> {
  const { post } = deps;
  let loaded: { fileId: number; rows: ViewLogRow[] } | null = null;
  let nextFileId = 1;

  const rowsOf = (source: AnalysisSource): readonly ViewLogRow[] => {
    if (source.kind === 'rows') return source.rows;
    if (loaded?.fileId !== source.fileId) {
      throw new ViewLogParseError('The loaded view log is no longer in the analysis worker (another file was loaded, or the worker restarted).', 'Load the view log again.');
    }
    return loaded.rows;
  };

  const fail = (id: number | null, e: unknown) => {
    const hint = isUserError(e) ? e.hint || ANALYSIS_INPUT_HINT : e instanceof AnalysisInputError ? ANALYSIS_INPUT_HINT : ANALYSIS_BUG_HINT;
    post({ type: 'error', id, error: serializeError(e), hint });
  };

  async function handle(msg: ToAnalysisWorker): Promise<void> {
    switch (msg.type) {
      case 'parseFile': {
        loaded = null; // a failed load leaves nothing stale behind
        const text = await textOf(msg.name, msg.data);
        const { rows, format } = parseViewLog(text, { fileName: msg.name });
        loaded = { fileId: nextFileId++, rows };
        post({ type: 'parsed', id: msg.id, summary: { fileId: loaded.fileId, name: msg.name, format, ...summarizeRows(rows) } });
        return;
      }
      case 'lossDrivers': {
        const data = lossDriverData(rowsOf(msg.source));
        const forest: ForestSettings = {
          numTrees: DEFAULT_FOREST_OPTIONS.numTrees,
          maxDepth: DEFAULT_FOREST_OPTIONS.maxDepth,
          sampleFraction: Math.min(1, MAX_BOOTSTRAP_ROWS / data.y.length),
        };
        const result = lossDrivers(data, { method: msg.method, ...forest });
        const features = LOSS_DRIVER_FEATURES.map((f) => ({ name: f.name, label: f.label, paperShare: PAPER_LOSS_DRIVER_SHARES[f.name] ?? 0 }));
        post({ type: 'lossDrivers', id: msg.id, result, features, forest });
        return;
      }
      case 'choice':
        post({ type: 'choice', id: msg.id, result: choicePredictability(choiceData(rowsOf(msg.source)), { trainFraction: 0.7 }) });
        return;
      case 'export': {
        const rows = rowsOf(msg.source);
        const text = msg.format === 'csv' ? viewLogCsv(rows) : viewLogJsonl(rows);
        post({ type: 'exported', id: msg.id, format: msg.format, text, numRows: rows.length });
        return;
      }
      default: {
        const unknown = msg as { type?: unknown; id?: unknown };
        post({ type: 'error', id: typeof unknown.id === 'number' ? unknown.id : null, error: { name: 'ProtocolError', message: `Unknown request "${String(unknown.type)}".` }, hint: 'Reload the page: the analysis worker and the page are from different versions.' });
      }
    }
  }

  post({ type: 'ready', protocolVersion: ANALYSIS_PROTOCOL_VERSION });

  return async (msg: ToAnalysisWorker) => {
    try {
      await handle(msg);
    } catch (e) {
      fail(typeof msg?.id === 'number' ? msg.id : null, e);
    }
  };
}

/**
 * AnalysisPanel ("Why are hard views hard?", HVP paper Sec. 6.1.1, Fig. 8 and App. F.1.2): on the
 * per-view augmentation log — the live run's rolling window (store `viewLog`) or a loaded
 * `--log-views FILE` (.csv / .jsonl) — fits, on request only, (1) what drives the per-pair loss: a
 * random forest's fANOVA first-order shares (or permutation importance) of IoU, brightness, relative
 * distance, colour distance, contrast, saturation and hue, drawn beside the paper's Fig. 8 numbers,
 * and (2) whether the choice can be predicted from the views' parameters: a conditional-logit
 * model's held-out accuracy vs chance 1/C. Exports the rows as CSV or JSON Lines. Parsing, fitting
 * and writing run in the analysis worker (worker/analysisClient.ts); a file's size is checked here
 * before it is read.
 * Must not import: zustand, recharts, tfjs.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import {
  AnalysisWorkerClient,
  MAX_VIEW_LOG_FILE_BYTES,
  type AnalysisSource,
  type ChoicePredictabilityResult,
  type ForestSettings,
  type ImportanceMethod,
  type LossDriversResult,
  type PaperFeature,
  type ViewLogSummary,
} from '../../../worker/analysisClient';
import { formatBytes } from '../../../worker/datasetProtocol';
import { ShareBars, type ShareBarsRow } from '../../charts/ShareBars/ShareBars';
import { downloadText } from '../../export/download';
import { useAppStore } from '../../store/useAppStore';
import { InfoTip } from '../InfoTip/InfoTip';
import { Panel } from '../Panel/Panel';
import parts from '../Panel/ChartParts.module.css';
import styles from './AnalysisPanel.module.css';
import { ProblemNote } from '../ProblemNote/ProblemNote';

const TIP_SOURCE = 'The view log has one row per candidate pair of every logged HVP selection step: both views’ augmentation as applied (crop box, flip, colour-jitter factors, grayscale, blur, solarize), the pair’s IoU, centre and colour distance, its per-sample loss and whether the selection kept it. "This run" uses the newest logged steps of the live run (a rolling window of 20,000 rows; a step is logged every logEvery steps). "Load a view log…" reads a file written by `npm run cli -- train … --log-views views.csv` (every selection step of a CLI run) or by this panel’s export.';
const TIP_DRIVERS = 'Fits a random forest (32 trees, depth ≤ 10) of each pair’s loss on seven pair features and reports how much of the predicted variance each explains on its own: functional ANOVA first-order shares (the paper’s method, Fig. 8: IoU 15.2 %, brightness 5.1 %, …), with ± the standard deviation over the trees. "Interactions" is what the forest attributes to features acting together; out-of-bag R² is the fraction of the loss’s variance the forest predicts on rows it did not see (the rest is noise the features do not explain). Permutation importance instead measures how much shuffling a feature hurts the out-of-bag predictions, on the same scale; it counts interactions into each share. Runs only when you press the button.';
const TIP_METHOD = 'fANOVA: first-order functional ANOVA over the forest (the paper’s method), integrating over the box of observed values. Permutation: out-of-bag permutation importance on the same scale; it only looks at observed rows, so it extrapolates less when features are correlated, but interactions count into each share.';
const TIP_CHOICE = 'Can the selected pair be predicted from the views’ parameters alone (crop box, scale, ratio, flip, jitter factors, grayscale, blur, solarize; each as min and max over the pair)? A conditional-logit model (one linear score per candidate, the highest wins) is fitted on the first 70 % of the selection groups (one group per image of a step) and tested on the rest. Chance is 1/C for C candidates. The paper (App. F.1.2) found under 40 %: the hardest pair depends on the image and the model, not on the augmentation alone. Weights are on the standardised scale; positive means higher values get picked.';
const TIP_EXPORT = 'Downloads the rows of the chosen source as a documented CSV (`# name: description` lines, then the columns; pandas: read_csv(path, comment="#")) or as JSON Lines (a header line, then one object per row). Either file can be loaded here again.';

/** The paper's choice-prediction accuracy bound (App. F.1.2). */
const PAPER_CHOICE_BOUND = 0.4;
/** Below this out-of-bag R², the panel says the shares are mostly noise. */
const LOW_R2 = 0.05;
/** Weights listed under the accuracy. */
const NUM_TOP_WEIGHTS = 6;

type Fit<T> =
  | { status: 'idle' }
  | { status: 'busy'; what: string }
  | { status: 'done'; value: T; what: string }
  | { status: 'error'; message: string; hint: string };

interface DriversValue {
  result: LossDriversResult;
  features: PaperFeature[];
  forest: ForestSettings;
}

const pct = (v: number, digits = 1): string => `${(100 * v).toFixed(digits)} %`;
const count = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;

/** An error of the analysis client (or anything thrown) as message + hint. */
function problemOf(e: unknown): { message: string; hint: string } {
  const message = e instanceof Error ? e.message : String(e);
  const hint = e instanceof Error && 'hint' in e && typeof e.hint === 'string' ? e.hint : '';
  return { message, hint };
}

function Busy({ children }: { children: ReactNode }) {
  return (
    <p className={styles.busy} role="status">
      <progress className={styles.progress} aria-label="Working" /> {children}
    </p>
  );
}

/** "Why are hard views hard?": loss drivers and choice predictability on the view log. */
export function AnalysisPanel() {
  const viewLog = useAppStore((s) => s.viewLog);
  const clientRef = useRef<AnalysisWorkerClient | null>(null);
  const client = (): AnalysisWorkerClient => (clientRef.current ??= new AnalysisWorkerClient());
  useEffect(() => () => {
    clientRef.current?.terminate();
    clientRef.current = null;
  }, []);
  const input = useRef<HTMLInputElement>(null);
  /** Newest request of each kind; older answers are dropped. */
  const latest = useRef({ load: 0, drivers: 0, choice: 0 });

  const [sourceKind, setSourceKind] = useState<'run' | 'file'>('run');
  const [file, setFile] = useState<ViewLogSummary | null>(null);
  const [load, setLoad] = useState<Fit<ViewLogSummary>>({ status: 'idle' });
  const [method, setMethod] = useState<ImportanceMethod>('fanova');
  const [drivers, setDrivers] = useState<Fit<DriversValue>>({ status: 'idle' });
  const [choice, setChoice] = useState<Fit<ChoicePredictabilityResult>>({ status: 'idle' });
  const [exportProblem, setExportProblem] = useState<{ message: string; hint: string } | null>(null);
  const [isExporting, setIsExporting] = useState(false);

  const isFile = sourceKind === 'file' && file !== null;
  const numRows = isFile ? file.numRows : viewLog.rows.length;
  const source = (): AnalysisSource => (isFile ? { kind: 'file', fileId: file.fileId } : { kind: 'rows', rows: viewLog.rows });
  const sourceText = isFile
    ? `${file.name}: ${plural(file.numSteps, 'selection step')} (steps ${count(file.firstStep)}–${count(file.lastStep)}), ${plural(file.numRows, 'pair')}`
    : `this run: ${plural(viewLog.numSteps, 'selection step')}, ${plural(viewLog.rows.length, 'pair')}, ${count(viewLog.numDroppedRows)} dropped`;
  const canFit = numRows >= 2;

  const onFiles = (files: FileList | null) => {
    const f = files?.[0];
    if (input.current) input.current.value = '';
    if (!f) return;
    const id = ++latest.current.load;
    if (f.size > MAX_VIEW_LOG_FILE_BYTES) {
      setLoad({ status: 'error', message: `${f.name} is ${formatBytes(f.size)}; view logs over ${formatBytes(MAX_VIEW_LOG_FILE_BYTES)} are not read.`, hint: 'Keep a part of the run (e.g. its last steps) in a smaller file and load that.' });
      return;
    }
    setLoad({ status: 'busy', what: f.name });
    client().parseFile(f, f.name).then(
      (summary) => {
        if (id !== latest.current.load) return;
        setLoad({ status: 'done', value: summary, what: f.name });
        setFile(summary);
        setSourceKind('file');
      },
      (e: unknown) => {
        if (id !== latest.current.load) return;
        setLoad({ status: 'error', ...problemOf(e) });
        setFile(null); // the worker dropped the previous file
        setSourceKind('run');
      },
    );
  };

  const fitDrivers = () => {
    const id = ++latest.current.drivers;
    const what = sourceText;
    setDrivers({ status: 'busy', what: `Fitting a random forest on ${plural(numRows, 'pair')}…` });
    client().lossDrivers(source(), method).then(
      (value) => id === latest.current.drivers && setDrivers({ status: 'done', value, what }),
      (e: unknown) => id === latest.current.drivers && setDrivers({ status: 'error', ...problemOf(e) }),
    );
  };

  const fitChoice = () => {
    const id = ++latest.current.choice;
    const what = sourceText;
    setChoice({ status: 'busy', what: `Fitting the choice model on ${plural(numRows, 'pair')}…` });
    client().choice(source()).then(
      (value) => id === latest.current.choice && setChoice({ status: 'done', value, what }),
      (e: unknown) => id === latest.current.choice && setChoice({ status: 'error', ...problemOf(e) }),
    );
  };

  const onExport = (format: 'csv' | 'jsonl') => {
    setExportProblem(null);
    setIsExporting(true);
    const base = isFile ? file.name.replace(/\.(csv|jsonl|json|txt)$/i, '') : 'hvp-view-log';
    client().exportLog(source(), format).then(
      ({ text }) => {
        setIsExporting(false);
        downloadText(text, `${base}.${format}`, format === 'csv' ? 'text/csv' : 'application/x-ndjson');
      },
      (e: unknown) => {
        setIsExporting(false);
        setExportProblem(problemOf(e));
      },
    );
  };

  return (
    <Panel
      title="Why are hard views hard?"
      testId="analysis"
      numPoints={numRows}
      isWide
      caption={<>What drives the per-pair loss, and can the selection’s choice be predicted from the augmentation alone (HVP paper, Fig. 8 and App. F.1.2)? Fitted in a background worker when you press a button. <InfoTip label="the view log" text={TIP_SOURCE} /></>}
    >
      <div className={styles.sourceRow}>
        <fieldset className={styles.source}>
          <legend className={styles.legend}>Rows</legend>
          <label className={styles.radio} title="Analyse the newest logged selection steps of the live run (rolling window).">
            <input type="radio" name="analysis-source" checked={!isFile} onChange={() => setSourceKind('run')} data-testid="analysis-source-run" />
            This run
          </label>
          <label className={styles.radio} title={file ? `Analyse the loaded file ${file.name}.` : 'Load a view-log file first.'}>
            <input type="radio" name="analysis-source" checked={isFile} disabled={!file} onChange={() => setSourceKind('file')} data-testid="analysis-source-file" />
            {file ? file.name : 'Loaded file'}
          </label>
        </fieldset>
        <button type="button" className={styles.button} onClick={() => input.current?.click()} disabled={load.status === 'busy'}
          title={`Read a view log written by \`npm run cli -- train … --log-views FILE\` (.csv or .jsonl, at most ${formatBytes(MAX_VIEW_LOG_FILE_BYTES)}) or by this panel’s export.`}>
          Load a view log…
        </button>
        <input ref={input} type="file" accept=".csv,.jsonl,.json,.txt,text/csv,application/x-ndjson" className={styles.hiddenInput}
          data-testid="analysis-file-input" aria-label="View-log file" onChange={(e) => onFiles(e.target.files)} />
        <span className={styles.exportGroup}>
          <button type="button" className={styles.button} disabled={numRows === 0 || isExporting} onClick={() => onExport('csv')} data-testid="analysis-export-csv"
            title="Download these rows as a documented CSV file (pandas: read_csv(path, comment='#')).">
            CSV
          </button>
          <button type="button" className={styles.button} disabled={numRows === 0 || isExporting} onClick={() => onExport('jsonl')} data-testid="analysis-export-jsonl"
            title="Download these rows as JSON Lines (a header line documenting every column, then one object per row).">
            JSON Lines
          </button>
          <InfoTip label="exporting the view log" text={TIP_EXPORT} />
        </span>
      </div>
      <p className={styles.summary} data-testid="analysis-source">{sourceText}</p>
      {load.status === 'busy' ? <Busy>Reading {load.what}…</Busy> : null}
      {load.status === 'error' ? <ProblemNote message={load.message} hint={load.hint} testId="analysis-load-error" /> : null}
      {exportProblem ? <ProblemNote message={exportProblem.message} hint={exportProblem.hint} testId="analysis-export-error" /> : null}
      {!canFit ? (
        <p className={styles.note}>
          {isFile ? 'The loaded file has too few rows to fit.' : 'The rows appear as the run logs HVP selection steps (hvpMode hard or easy); or load a view log.'}
        </p>
      ) : null}

      <section className={styles.section} aria-label="What drives the loss">
        <div className={styles.controls}>
          <button type="button" className={styles.primary} onClick={fitDrivers} disabled={!canFit || drivers.status === 'busy'} data-testid="analysis-fit-drivers"
            title="Fit a random forest of each pair's loss on the seven pair features and show each feature's share (runs in the background).">
            What drives the loss
          </button>
          <label className={styles.field} title="How each feature's share is computed.">
            Method
            <select value={method} onChange={(e) => setMethod(e.target.value as ImportanceMethod)} data-testid="analysis-method">
              <option value="fanova">fANOVA first-order shares</option>
              <option value="permutation">permutation importance</option>
            </select>
          </label>
          <InfoTip label="the importance method" text={TIP_METHOD} />
          <InfoTip label="what drives the loss" text={TIP_DRIVERS} />
        </div>
        {drivers.status === 'busy' ? <Busy>{drivers.what}</Busy> : null}
        {drivers.status === 'error' ? <ProblemNote message={drivers.message} hint={drivers.hint} testId="analysis-drivers-error" /> : null}
        {drivers.status === 'done' ? <DriversView value={drivers.value} what={drivers.what} /> : null}
      </section>

      <section className={styles.section} aria-label="Can the choice be predicted">
        <div className={styles.controls}>
          <button type="button" className={styles.primary} onClick={fitChoice} disabled={!canFit || choice.status === 'busy'} data-testid="analysis-fit-choice"
            title="Fit a conditional-logit model of which pair the selection keeps, from the views' parameters, and test it on held-out images.">
            Can the choice be predicted?
          </button>
          <InfoTip label="choice predictability" text={TIP_CHOICE} />
        </div>
        {choice.status === 'busy' ? <Busy>{choice.what}</Busy> : null}
        {choice.status === 'error' ? <ProblemNote message={choice.message} hint={choice.hint} testId="analysis-choice-error" /> : null}
        {choice.status === 'done' ? <ChoiceView value={choice.value} what={choice.what} /> : null}
      </section>
    </Panel>
  );
}

/** The loss-driver shares: a line naming the fit, the bar chart beside Fig. 8, and a table. */
function DriversView({ value, what }: { value: DriversValue; what: string }) {
  const { result, features, forest } = value;
  const byName = new Map(result.features.map((f) => [f.name, f]));
  const rows: (ShareBarsRow & { name: string })[] = features.map((f) => ({
    name: f.name,
    label: f.label,
    share: byName.get(f.name)?.share ?? 0,
    shareSd: byName.get(f.name)?.shareSd ?? 0,
    reference: f.paperShare,
  }));
  const methodText = result.method === 'fanova' ? 'fANOVA first-order shares' : 'permutation importance';
  const sample = forest.sampleFraction < 1 ? `, each on a ${pct(forest.sampleFraction, 0)} bootstrap sample` : '';
  return (
    <div data-testid="analysis-drivers">
      <p className={styles.summary} data-testid="analysis-drivers-summary">
        {methodText} over a random forest ({result.numTrees} trees, depth ≤ {forest.maxDepth}{sample}) · out-of-bag R² {result.outOfBagR2.toFixed(3)} ·
        interactions {pct(result.interactionShare)}{result.method === 'permutation' ? ' (rough)' : ''} · {plural(result.numRows, 'row')} · {what}
      </p>
      {result.numTreesUsed > 0 && result.outOfBagR2 < LOW_R2 ? (
        <p className={styles.note} data-testid="analysis-drivers-low-r2">
          Out-of-bag R² is {result.outOfBagR2.toFixed(3)}: the forest predicts almost none of the loss on pairs it did not see,
          so these shares are mostly noise (see the ± SD). Log more selection steps and fit again.
        </p>
      ) : null}
      {result.numTreesUsed === 0 ? <p className={styles.note}>No tree found a split: the loss does not vary with these features here, so every share is 0.</p> : null}
      <ShareBars
        rows={rows}
        shareLabel={`this log (${result.method === 'fanova' ? 'fANOVA' : 'permutation'}, ± SD over trees)`}
        referenceLabel="HVP paper, Fig. 8 (SimSiam, CIFAR-10)"
        xLabel="share of the loss's predicted variance"
        ariaLabel="Share of each feature in the per-pair loss, this log vs the HVP paper's Fig. 8"
        testId="analysis-drivers-chart"
      />
      <table className={styles.table} data-testid="analysis-drivers-table">
        <thead>
          <tr><th scope="col">feature</th><th scope="col">this log</th><th scope="col">paper (Fig. 8)</th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name} data-feature={r.name}>
              <th scope="row">{r.label}</th>
              <td>{pct(r.share)} ± {(100 * r.shareSd).toFixed(1)}</td>
              <td>{pct(r.reference)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Choice predictability: held-out accuracy vs chance and the paper's bound, then the top weights. */
function ChoiceView({ value, what }: { value: ChoicePredictabilityResult; what: string }) {
  const top = [...value.weights].sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)).slice(0, NUM_TOP_WEIGHTS);
  const oneIn = value.chance > 0 ? Math.round(1 / value.chance) : 0;
  const vsPaper = value.accuracy < PAPER_CHOICE_BOUND ? 'below' : 'above';
  return (
    <div data-testid="analysis-choice">
      <p className={styles.accuracy} data-testid="analysis-choice-accuracy">
        <span className={parts.value}>{pct(value.accuracy)}</span> held-out accuracy vs chance {pct(value.chance)} (1/{oneIn})
      </p>
      <p className={styles.summary}>
        {vsPaper === 'below' ? 'Below' : 'Above'} the paper’s “under {pct(PAPER_CHOICE_BOUND, 0)}” · train accuracy {pct(value.trainAccuracy)} ·
        trained on {plural(value.numTrainGroups, 'group')}, tested on {plural(value.numTestGroups, 'group')} (one group per image of a selection step) · {what}
      </p>
      <p className={styles.weightsTitle}>Largest weights (standardised; + means higher values get picked):</p>
      <ul className={styles.weights} data-testid="analysis-choice-weights">
        {top.map((w) => (
          <li key={w.name}>
            <span className={styles.weight}>{w.weight >= 0 ? '+' : '−'}{Math.abs(w.weight).toFixed(2)}</span> {w.name}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * SweepsPanel: loads the results file of `npm run cli -- sweep … --out f.json` and draws the paper's
 * sweep plots — a metric (kNN, linear probe, hit rate, selected IoU, wall time) vs a swept setting,
 * HVP vs the baseline (HVP off) as two series, each point the mean over seeds with a bar for
 * min–max (Fig. 4: RRC lower bound, colour jitter; Fig. 7: views N, as one-click choices when the
 * grid sweeps their key). Other grid keys with several values are held at a chosen value (a select
 * each, default its first value), never averaged over. Below: a line counting cells and seeds, and a
 * table of every cell. The file is untrusted: its size is checked before it is read, and any problem
 * (core/config/sweepResults.ts) is shown as a message saying what is wrong and what to do.
 * File → parse → plot, all in the UI thread (no worker).
 * Must not import: zustand, recharts, tfjs.
 */
import { useMemo, useRef, useState } from 'react';
import type { HvpMode } from '../../../core/config/runConfig';
import { CONFIG_SCHEMA } from '../../../core/config/schema';
import { parseSweepResults, sweepFileSizeProblem, type SettingValue, type SweepCellRecord, type SweepResults } from '../../../core/config/sweepResults';
import { SweepChart, type SweepChartSeries } from '../../charts/SweepChart/SweepChart';
import { Panel } from '../Panel/Panel';
import parts from '../Panel/ChartParts.module.css';
import styles from './SweepsPanel.module.css';
import { defaultFixed, fixableKeys, metricOf, paperFigures, plottableKeys, SWEEP_METRICS, sweepPoints, type SweepMetric, type SweepMetricKey } from './sweepPoints';
import { ProblemNote } from '../ProblemNote/ProblemNote';

/** A loaded file and its name. */
interface Loaded {
  name: string;
  results: SweepResults;
}

/** What the user picked to plot. */
interface Selection {
  xKey: string;
  metric: SweepMetricKey;
  fixed: Record<string, SettingValue>;
}

const SERIES_COLORS: Partial<Record<HvpMode, string>> = { off: '#5a6472', hard: '#c2410c', easy: '#2563eb', random: '#15803d' };
const OTHER_COLOR = '#7c3aed';
const HOW_TO = 'Run e.g. `npm run cli -- sweep --grid cropScaleMin=0.08,0.2,0.5 --seeds 0,1,2 --out sweep.json`, then load sweep.json here.';

/** The schema label of a setting (the key itself for one this app does not know). */
const keyLabel = (key: string): string => CONFIG_SCHEMA.find((f) => f.key === key)?.label ?? key;
const valueText = (v: SettingValue | undefined): string => (v === undefined ? '—' : String(v));
/** A metric value of the file in the metric's shown unit, or — for null. */
const metricText = (m: SweepMetric, v: number | null): string => (v === null ? '—' : m.format(v * m.scale));

/** The first plottable key (a paper figure's first), kNN, and default fixed values. */
function initialSelection(results: SweepResults): Selection | null {
  const keys = plottableKeys(results.spec);
  if (keys.length === 0) return null;
  const xKey = paperFigures(results.spec)[0]?.xKey ?? keys[0]!;
  return { xKey, metric: 'knnTop1', fixed: defaultFixed(results.spec, xKey) };
}

/** Sweep results: file picker, plot controls, chart, cell table. */
export function SweepsPanel() {
  const input = useRef<HTMLInputElement>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [problem, setProblem] = useState<{ problem: string; hint: string } | null>(null);
  const [isReading, setIsReading] = useState(false);
  const [selection, setSelection] = useState<Selection | null>(null);

  const onFiles = (files: FileList | null) => {
    const file = files?.[0];
    if (input.current) input.current.value = '';
    if (!file) return;
    const tooLarge = sweepFileSizeProblem(file.size, file.name);
    if (tooLarge) {
      setLoaded(null);
      setProblem(tooLarge);
      return;
    }
    setIsReading(true);
    file.text().then(
      (text) => {
        const r = parseSweepResults(text, file.name);
        setIsReading(false);
        if (!r.ok) {
          setLoaded(null);
          setProblem({ problem: r.problem, hint: r.hint });
          return;
        }
        setProblem(null);
        setLoaded({ name: file.name, results: r.results });
        setSelection(initialSelection(r.results));
      },
      (e: unknown) => {
        setIsReading(false);
        setLoaded(null);
        setProblem({ problem: `"${file.name}" could not be read (${e instanceof Error ? e.message : String(e)}).`, hint: 'Pick the file again; if it is on a removable or network drive, copy it to a local folder first.' });
      },
    );
  };

  const plot = useMemo(() => (loaded && selection ? sweepPoints(loaded.results, selection.xKey, selection.metric, selection.fixed) : null), [loaded, selection]);
  const metric = metricOf(selection?.metric ?? 'knnTop1');
  const chartSeries = useMemo((): SweepChartSeries[] => (plot ? plot.series.filter((s) => s.points.length > 0).map((s) => ({
    key: `s${s.hvpMode}`,
    label: s.label,
    color: SERIES_COLORS[s.hvpMode] ?? OTHER_COLOR,
    isDashed: s.isBaseline,
    points: s.points.map((p) => ({
      x: p.x,
      y: p.mean * metric.scale,
      low: p.min * metric.scale,
      high: p.max * metric.scale,
      text: p.n === 1 ? `${metric.format(p.mean * metric.scale)} (1 seed)` : `${metric.format(p.mean * metric.scale)} (min ${metric.format(p.min * metric.scale)} – max ${metric.format(p.max * metric.scale)}, SD ${metric.format(p.sd * metric.scale)}, ${p.n} seeds)`,
    })),
  })) : []), [plot, metric]);
  const numPoints = chartSeries.reduce((n, s) => n + s.points.length, 0);

  const results = loaded?.results ?? null;
  const spec = results?.spec ?? null;
  const figures = spec ? paperFigures(spec) : [];
  const xKeys = spec ? plottableKeys(spec) : [];
  const pick = (xKey: string, metricKey: SweepMetricKey) => {
    if (results) setSelection((s) => ({ xKey, metric: metricKey, fixed: defaultFixed(results.spec, xKey, s?.fixed) }));
  };
  const unmeasured = plot?.series.filter((s) => s.points.length === 0).map((s) => s.label) ?? [];

  const loadButton = (
    <>
      <button type="button" className={styles.load} data-testid="sweeps-load" disabled={isReading} onClick={() => input.current?.click()}
        title="Load the JSON results file that `npm run cli -- sweep --out f.json` wrote.">
        {isReading ? 'Reading…' : loaded ? 'Load another…' : 'Load sweep results…'}
      </button>
      <input ref={input} type="file" accept=".json,application/json" hidden data-testid="sweeps-file-input" onChange={(e) => onFiles(e.currentTarget.files)} />
    </>
  );

  return (
    <Panel
      title="Sweeps"
      testId="panel-sweeps"
      isWide
      numPoints={numPoints}
      pngFileName={loaded ? 'hvp-sweep' : undefined}
      aside={loadButton}
      caption={<>Results of <code>npm run cli -- sweep</code>: a metric vs a swept setting, HVP vs the baseline (HVP off), as in the paper&apos;s Fig. 4 and Fig. 7. Each dot is the mean over seeds; its bar spans the min–max over seeds (the tooltip adds the SD).</>}
    >
      {problem ? (
        <ProblemNote message={problem.problem} hint={problem.hint} testId="sweeps-error" />
      ) : null}
      {!results || !spec ? (
        problem ? null : <p className={parts.empty} data-testid="sweeps-empty">No sweep loaded. {HOW_TO}</p>
      ) : (
        <>
          <p className={styles.summary} data-testid="sweeps-summary" data-cells={results.cells.length} data-seeds={spec.seeds.length}>
            {loaded!.name}: {results.cells.length} of {results.numCells} cells loaded{results.cells.length < results.numCells ? ' (the sweep is not finished: rerun its command to continue)' : ''},
            {' '}{spec.seeds.length} seed{spec.seeds.length === 1 ? '' : 's'} ({spec.seeds.join(', ')}), HVP {spec.hvpModes.join(' vs ')};
            grid {spec.grid.length ? spec.grid.map((a) => `${a.key} (${a.values.length} value${a.values.length === 1 ? '' : 's'})`).join(', ') : 'empty'}.
          </p>
          {selection && plot ? (
            <>
              <div className={styles.controls}>
                {figures.length ? (
                  <div className={styles.figures} role="group" aria-label="Figures of the paper">
                    {figures.map((f) => {
                      const isOn = selection.xKey === f.xKey && selection.metric === f.metric;
                      return (
                        <button key={f.label} type="button" className={isOn ? styles.on : ''} aria-pressed={isOn} onClick={() => pick(f.xKey, f.metric)}>{f.label}</button>
                      );
                    })}
                  </div>
                ) : null}
                <label className={styles.field}>
                  x
                  <select data-testid="sweeps-x" value={selection.xKey} onChange={(e) => pick(e.target.value, selection.metric)}>
                    {xKeys.map((k) => <option key={k} value={k}>{keyLabel(k)} ({k})</option>)}
                  </select>
                </label>
                <label className={styles.field}>
                  metric
                  <select data-testid="sweeps-metric" value={selection.metric} onChange={(e) => pick(selection.xKey, e.target.value as SweepMetricKey)}>
                    {SWEEP_METRICS.map((m) => <option key={m.key} value={m.key}>{m.label}</option>)}
                  </select>
                </label>
                {fixableKeys(spec, selection.xKey).map((k) => {
                  const axis = spec.grid.find((a) => a.key === k)!;
                  const current = plot.fixed[k];
                  return (
                    <label key={k} className={styles.field} title={`Only cells with ${k} = this value are plotted (never averaged over ${k}).`}>
                      {keyLabel(k)} =
                      <select data-testid={`sweeps-fix-${k}`} value={axis.values.findIndex((v) => v === current)}
                        onChange={(e) => setSelection({ ...selection, fixed: { ...selection.fixed, [k]: axis.values[Number(e.target.value)]! } })}>
                        {axis.values.map((v, i) => <option key={i} value={i}>{String(v)}</option>)}
                      </select>
                    </label>
                  );
                })}
              </div>
              {numPoints === 0 ? (
                <p className={parts.empty}>No cell of this selection has a {metric.label} yet{plot.numCellsWithoutValue ? ` (${plot.numCellsWithoutValue} cells without one: e.g. a dataset without labels has no kNN or probe)` : ''}.</p>
              ) : (
                <SweepChart
                  series={chartSeries}
                  xValues={plot.xValues}
                  xLabel={keyLabel(selection.xKey)}
                  yLabel={metric.axisLabel}
                  yLimits={metric.limits}
                  ariaLabel={`${metric.label} vs ${keyLabel(selection.xKey)}: mean over seeds with min–max bars, HVP vs baseline`}
                />
              )}
              <p className={styles.note} data-testid="sweeps-plot-note">
                {plot.numCellsUsed} cell{plot.numCellsUsed === 1 ? '' : 's'} plotted
                {Object.keys(plot.fixed).length ? `, with ${Object.entries(plot.fixed).map(([k, v]) => `${k} = ${String(v)}`).join(', ')}` : ''}.
                {unmeasured.length ? ` No ${metric.label} for ${unmeasured.join(', ')}${selection.metric === 'meanLowestIouHitRate' ? ' (HVP off selects nothing, so it has no hit rate)' : ''}.` : ''}
              </p>
            </>
          ) : (
            <p className={parts.empty}>Nothing to plot against: no setting of this sweep&apos;s grid has two or more values. The table lists its cells. {HOW_TO}</p>
          )}
          <CellTable results={results} />
        </>
      )}
    </Panel>
  );
}

/** Every cell: its grid values, seed, HVP mode and measures. */
function CellTable({ results }: { results: SweepResults }) {
  const keys = results.spec.grid.map((a) => a.key as string);
  const cols = SWEEP_METRICS;
  const row = (c: SweepCellRecord) => (
    <tr key={c.id} data-testid="sweeps-cell">
      {keys.map((k) => <td key={k}>{valueText(c.settings[k])}</td>)}
      <td>{valueText(c.settings.seed)}</td>
      <td>{valueText(c.settings.hvpMode)}</td>
      <td>{c.step}</td>
      {cols.map((m) => <td key={m.key}>{metricText(m, c[m.key])}</td>)}
    </tr>
  );
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table} data-testid="sweeps-table">
        <thead>
          <tr>
            {keys.map((k) => <th key={k} title={keyLabel(k)}>{k}</th>)}
            <th>seed</th>
            <th>HVP</th>
            <th>step</th>
            {cols.map((m) => <th key={m.key} title={m.key === 'meanLowestIouHitRate' || m.key === 'meanSelectedIou' ? `Mean over ${results.averagedOver}` : undefined}>{m.axisLabel}</th>)}
          </tr>
        </thead>
        <tbody>{results.cells.map(row)}</tbody>
      </table>
    </div>
  );
}

/**
 * TwinPanel: the twin run — the same config trained with HVP off and with HVP on, same seed and data
 * order, one step each in turn on the one GPU (worker/twinRun.ts). Start / Pause / Resume / Stop, a
 * progress bar, the overlaid curves (TwinCharts), the summary table (TwinSummaryTable) and CSV / JSON
 * export of the twin's metrics. A twin run never touches the single run: the single run's charts,
 * history and model stay (a paused single run stays paused and resumes after the twin); only one of
 * the two may train at a time, and each panel says why its Start is disabled.
 * Must not import: zustand, recharts, tfjs.
 */
import { useMemo } from 'react';
import { twinOnMode } from '../../../core/config/twinConfig';
import { downloadText } from '../../export/download';
import { twinFileBase, twinToCsv, twinToJson } from '../../export/twinExport';
import { useTwinCommands } from '../../hooks/useTwinCommands';
import { selectTwinControls, selectTwinRows, selectTwinSummary } from '../../store/twinSelectors';
import { useAppStore, useAppStoreApi, useAppStoreShallow } from '../../store/useAppStore';
import { InfoTip } from '../InfoTip/InfoTip';
import { Panel } from '../Panel/Panel';
import { TwinCharts } from './TwinCharts';
import { TwinSummaryTable } from './TwinSummaryTable';
import styles from './TwinPanel.module.css';

const TIP =
  'Two runs of the current settings: one with HVP off (two random views per image), one with HVP on (the chosen mode, or hard when the settings say off). ' +
  'Both start from the same weights (same seed) and see the same batches in the same order; the HVP twin samples N views per image, so its views differ. ' +
  'They take turns, one training step each, on the same GPU, and each step is read back before the next one starts, so each twin\'s wall time is its own. ' +
  'kNN and the online linear probe run for both after the same steps. The single run (left) is kept as it is: its charts, history and model stay, and a paused single run can be resumed once the twin run ends.';

/** Props of TwinPanel. */
export interface TwinPanelProps {
  /** Early stop from `?maxSteps=`, sent with Start; null for the full totalSteps. */
  maxSteps: number | null;
}

/** The twin-run card. */
export function TwinPanel({ maxSteps }: TwinPanelProps) {
  const store = useAppStoreApi();
  const commands = useTwinCommands();
  const c = useAppStoreShallow(selectTwinControls);
  const twin = useAppStore((s) => s.twin);
  const panelConfig = useAppStore((s) => s.config);
  const single = useAppStoreShallow((s) => ({ runState: s.runState, step: s.step }));
  const config = twin.config ?? panelConfig;
  const summary = useMemo(() => selectTwinSummary(twin), [twin]);
  const hasData = twin.rows.numSeen > 0 || twin.evals.numSeen > 0;
  const fraction = twin.targetStep > 0 ? twin.step / twin.targetStep : 0;

  const exportAs = (kind: 'csv' | 'json') => {
    const t = store.getState().twin;
    if (!t.config) return;
    const rows = selectTwinRows(t.rows, t.latest);
    const base = twinFileBase(t.config, t.step);
    if (kind === 'csv') downloadText(twinToCsv(rows, t.evals.points), `${base}.csv`, 'text/csv;charset=utf-8');
    else downloadText(twinToJson({ config: t.config, phase: t.phase, step: t.step, targetStep: t.targetStep, rows, evals: t.evals.points, summary: selectTwinSummary(t), exportedAt: new Date().toISOString() }), `${base}.json`, 'application/json');
  };

  const aside = (
    <span className={styles.phase} data-testid="twin-state" data-phase={twin.phase}>{twin.phase === 'idle' ? 'not started' : twin.phase}</span>
  );

  return (
    <Panel
      title="Twin run: HVP off vs on"
      testId="twin-panel"
      numPoints={twin.rows.points.length}
      isWide
      aside={aside}
      caption={<>The current settings trained twice, HVP off and HVP {twinOnMode(config)}, one step each in turn. <InfoTip label="the twin run" text={TIP} /></>}
    >
      <div className={styles.controls}>
        <button type="button" className={styles.primary} data-testid="twin-start" disabled={!c.canStart} onClick={() => commands.start(maxSteps)}>▶ Start twin run</button>
        <button type="button" data-testid="twin-pause" disabled={!c.canPause} onClick={commands.pause}>❚❚ Pause</button>
        <button type="button" data-testid="twin-resume" disabled={!c.canResume} onClick={commands.resume}>▶ Resume</button>
        <button type="button" className={styles.danger} data-testid="twin-stop" disabled={!c.canStop} onClick={commands.stop}>■ Stop</button>
        <span className={styles.spacer} />
        <button type="button" data-testid="twin-export-csv" disabled={!hasData} onClick={() => exportAs('csv')} title="Both twins' step records and evaluations, one row per step (off_* and on_* columns).">Export CSV</button>
        <button type="button" data-testid="twin-export-json" disabled={!hasData} onClick={() => exportAs('json')} title="The twin run's config (with its seed), summary table, step records and evaluations.">Export JSON</button>
      </div>
      {twin.phase !== 'idle' ? (
        <div className={styles.progressRow}>
          <progress className={styles.bar} max={1} value={fraction} aria-label="Twin run progress" data-testid="twin-progress" />
          <span className={styles.progressText} data-testid="twin-step">step {twin.step} / {twin.targetStep}</span>
        </div>
      ) : null}
      {single.runState !== 'idle' ? (
        <p className={styles.note} data-testid="twin-single-note">
          The single run ({single.runState} at step {single.step}) is kept as it is: a twin run has its own models and curves, so the single run's charts, history, model and checkpoints stay
          {single.runState === 'paused' ? '; it stays paused and can be resumed once the twin run ends' : ''}.
        </p>
      ) : null}
      {c.startBlockedReason && !c.canStart ? <p className={styles.note} data-testid="twin-blocked">{c.startBlockedReason}</p> : null}
      {twin.failure ? <p className={styles.failure} role="alert" data-testid="twin-failure">Twin run not started: {twin.failure}</p> : null}
      {twin.phase === 'failed' && twin.message ? <p className={styles.failure} role="alert" data-testid="twin-failed">Twin run failed: {twin.message}</p> : null}
      {twin.phase === 'stopped' || twin.phase === 'done' ? (
        <p className={styles.note}>The twins' models are released when the twin run ends; their curves and table stay here until the next twin run.</p>
      ) : null}
      <TwinCharts config={config} />
      <TwinSummaryTable summary={summary} config={config} />
    </Panel>
  );
}

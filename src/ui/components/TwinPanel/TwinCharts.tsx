/**
 * TwinCharts: the twin run's curves overlaid — training loss, kNN top-1 and linear-probe top-1 —
 * with HVP off in grey-blue solid lines and HVP on in orange dashed lines, each chart with a legend.
 * Must not import: zustand, recharts, tfjs.
 */
import { useMemo } from 'react';
import { twinArmLabel } from '../../../core/config/twinConfig';
import type { RunConfig } from '../../../core/config/runConfig';
import { SeriesChart, type SeriesSpec } from '../../charts/SeriesChart/SeriesChart';
import { selectTwinRows, toTwinAccuracyRows, toTwinLossRows } from '../../store/twinSelectors';
import { useAppStore } from '../../store/useAppStore';
import styles from './TwinPanel.module.css';

/** Line colours of the twins (also used by the summary table's headers). */
export const TWIN_COLORS = { off: '#3d5a80', on: '#d9730d' } as const;

/** The three overlaid charts. */
export function TwinCharts({ config }: { config: RunConfig }) {
  const rows = useAppStore((s) => s.twin.rows);
  const latest = useAppStore((s) => s.twin.latest);
  const evals = useAppStore((s) => s.twin.evals);
  const lossRows = useMemo(() => toTwinLossRows(selectTwinRows(rows, latest)), [rows, latest]);
  const accRows = useMemo(() => toTwinAccuracyRows(evals.points), [evals]);
  const off = twinArmLabel('off', config);
  const on = twinArmLabel('on', config);
  const series = (keyOff: string, keyOn: string, what: string, hasDots: boolean): SeriesSpec[] => [
    { key: keyOff, label: `${off} ${what}`, color: TWIN_COLORS.off, width: 2, hasDots },
    { key: keyOn, label: `${on} ${what}`, color: TWIN_COLORS.on, width: 2, isDashed: true, hasDots },
  ];
  const empty = (text: string) => <p className={styles.empty}>{text}</p>;
  const evalNote = config.knnEvery > 0 ? `Both twins are evaluated every ${config.knnEvery} steps and at the last step.` : 'Evaluation is off (kNN every k steps = 0), so only the loss is compared.';

  return (
    <div className={styles.charts}>
      <figure className={styles.chart} data-testid="twin-chart-loss" data-points={lossRows.length}>
        <figcaption>Training loss</figcaption>
        {lossRows.length === 0 ? empty('The loss of both twins appears after their first step.') : (
          <SeriesChart data={lossRows} series={series('lossOff', 'lossOn', 'loss', false)} height={190} ariaLabel="Training loss of the HVP-off and HVP-on twins vs step" />
        )}
      </figure>
      <figure className={styles.chart} data-testid="twin-chart-knn" data-points={accRows.filter((r) => r.knnOff !== null).length}>
        <figcaption>kNN top-1 (%)</figcaption>
        {accRows.length === 0 ? empty(evalNote) : (
          <SeriesChart data={accRows} series={series('knnOff', 'knnOn', 'kNN', true)} yDomain={[0, 100]} formatY={(v) => v.toFixed(0)} height={190} ariaLabel="kNN top-1 of both twins in percent vs step" />
        )}
      </figure>
      <figure className={styles.chart} data-testid="twin-chart-probe" data-points={accRows.filter((r) => r.probeOff !== null).length}>
        <figcaption>Linear probe top-1 (%)</figcaption>
        {accRows.length === 0 ? empty(evalNote) : (
          <SeriesChart data={accRows} series={series('probeOff', 'probeOn', 'probe', true)} yDomain={[0, 100]} formatY={(v) => v.toFixed(0)} height={190} ariaLabel="Online linear probe top-1 of both twins in percent vs step" />
        )}
      </figure>
    </div>
  );
}

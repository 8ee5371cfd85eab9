/**
 * TwinSummaryTable: the twin run's summary — final kNN and linear-probe top-1 of each twin (with the
 * step they were measured at), the summed wall time and ms per step of each twin's training steps,
 * the HVP overhead (ms/step of HVP on over HVP off) and the steps done. Cells carry `data-value`
 * (raw numbers) for tests; '—' until a value exists.
 * Must not import: zustand, recharts, tfjs.
 */
import { TWIN_ARMS, twinArmLabel } from '../../../core/config/twinConfig';
import type { RunConfig } from '../../../core/config/runConfig';
import type { TwinSummary } from '../../store/twinSelectors';
import { TWIN_COLORS } from './TwinCharts';
import styles from './TwinPanel.module.css';

const pct = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(1)} %`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(ms >= 100_000 ? 0 : ms >= 10_000 ? 1 : 2)} s`;

/** The summary table of a twin run. */
export function TwinSummaryTable({ summary, config }: { summary: TwinSummary; config: RunConfig }) {
  const hasSteps = summary.numSteps > 0;
  const rows: Array<{ id: string; label: string; cell: (a: 'off' | 'on') => { text: string; value: number | null } }> = [
    { id: 'knn', label: 'Final kNN top-1', cell: (a) => ({ text: pct(summary.arms[a].finalKnn), value: summary.arms[a].finalKnn }) },
    { id: 'probe', label: 'Final linear probe top-1', cell: (a) => ({ text: pct(summary.arms[a].finalLinearProbe), value: summary.arms[a].finalLinearProbe }) },
    { id: 'wall', label: 'Wall time of its steps', cell: (a) => ({ text: hasSteps ? seconds(summary.arms[a].totalMs) : '—', value: hasSteps ? summary.arms[a].totalMs : null }) },
    { id: 'ms', label: 'ms per step', cell: (a) => ({ text: hasSteps ? summary.arms[a].msPerStep.toFixed(1) : '—', value: hasSteps ? summary.arms[a].msPerStep : null }) },
  ];
  const evalStep = summary.arms.off.evalStep;
  return (
    <table className={styles.table} data-testid="twin-summary">
      <thead>
        <tr>
          <th scope="col" />
          {TWIN_ARMS.map((a) => (
            <th key={a} scope="col" style={{ color: TWIN_COLORS[a] }}>{twinArmLabel(a, config)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <th scope="row">{r.label}{(r.id === 'knn' || r.id === 'probe') && evalStep !== null ? ` (step ${evalStep})` : ''}</th>
            {TWIN_ARMS.map((a) => {
              const c = r.cell(a);
              return <td key={a} data-testid={`twin-${r.id}-${a}`} data-value={c.value ?? ''}>{c.text}</td>;
            })}
          </tr>
        ))}
        <tr>
          <th scope="row">HVP overhead (ms/step, on ÷ off)</th>
          <td colSpan={2} data-testid="twin-overhead" data-value={summary.overheadRatio ?? ''}>
            {summary.overheadRatio === null ? '—' : `${summary.overheadRatio.toFixed(2)}× (${summary.overheadRatio >= 1 ? '+' : ''}${(100 * (summary.overheadRatio - 1)).toFixed(0)} %)`}
          </td>
        </tr>
        <tr>
          <th scope="row">Steps done</th>
          <td colSpan={2} data-testid="twin-steps" data-value={summary.numSteps}>{summary.numSteps} of {summary.targetStep} (each twin)</td>
        </tr>
      </tbody>
    </table>
  );
}

/**
 * ScheduleChart ("Planned schedules"): small multiples of what the trainer will use at every step —
 * learning rate, weight decay, and, where the method has them, the EMA target / teacher momentum and
 * the teacher temperature — computed by core/config/plannedSchedules.ts with the trainer's own
 * schedule functions. Follows the config as it is edited; during a run it plots the run's config with
 * a marker (and the exact value) at the current step, or at the step being viewed when scrubbing.
 * Must not import: zustand, recharts, tfjs.
 */
import { useMemo } from 'react';
import { plannedSchedules, scheduleValuesAt } from '../../../core/config/plannedSchedules';
import { SeriesChart, type SeriesSpec } from '../../charts/SeriesChart/SeriesChart';
import { useAppStoreShallow } from '../../store/useAppStore';
import { Panel } from '../Panel/Panel';
import { formatScheduleValue, scheduleRows, scheduleSource } from './scheduleView';
import styles from './ScheduleChart.module.css';

/** Line colour per schedule. */
const COLORS = { learningRate: '#d4380d', weightDecay: '#8c5a00', momentum: '#1f54c4', teacherTemp: '#6b3fa0', teacherPatchTemp: '#17713a' } as const;

/** The planned schedules of the shown config. */
export function ScheduleChart() {
  const { config, markerStep, isRun } = useAppStoreShallow((s) => scheduleSource(s));
  const plan = useMemo(() => plannedSchedules(config), [config]);
  const now = markerStep !== null ? scheduleValuesAt(config, markerStep) : null;

  const caption = isRun
    ? <>The schedules this run uses, from the same functions the trainer calls; the vertical line marks step {markerStep}.</>
    : <>What a run with the settings on the left will use at each step, from the same functions the trainer calls; it follows every edit.</>;

  return (
    <Panel title="Planned schedules" testId="chart-schedules" numPoints={plan.steps.length} pngFileName="hvp-schedules" caption={caption} isWide>
      <div className={styles.grid}>
        {plan.series.map((s) => {
          const rows = scheduleRows(plan, s.key);
          const spec: SeriesSpec[] = [{ key: 'value', label: s.label, color: COLORS[s.key], width: 1.8 }];
          const value = now?.[s.key];
          return (
            <figure key={s.key} className={styles.figure} data-testid={`schedule-${s.key}`} data-points={rows.length}>
              <figcaption className={styles.title}>
                {s.label}
                {value !== undefined ? <span className={styles.now} data-testid={`schedule-now-${s.key}`}> {formatScheduleValue(s.key, value)} at step {markerStep}</span> : null}
                <span className={styles.what}>{s.description}</span>
              </figcaption>
              <SeriesChart
                data={rows}
                series={spec}
                height={150}
                formatY={(v) => formatScheduleValue(s.key, v)}
                markerStep={markerStep}
                ariaLabel={`${s.label} planned for each step: ${s.description}`}
              />
            </figure>
          );
        })}
      </div>
    </Panel>
  );
}

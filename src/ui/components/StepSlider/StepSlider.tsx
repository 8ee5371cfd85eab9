/**
 * StepSlider: scrubs the panels back through the run. Moving it sets the store's viewing step:
 * the gallery shows the kept snapshot at or before that step and the charts draw a vertical
 * line there. "Live" (or dragging to the end) returns to following the run.
 * Must not import: zustand, recharts, tfjs.
 */
import { PROBE_HISTORY_CAP, selectScrubRange } from '../../store/stepScrub';
import { useAppStore, useAppStoreApi, useAppStoreShallow } from '../../store/useAppStore';
import styles from './StepSlider.module.css';

/** The step slider with its Live button. */
export function StepSlider() {
  const store = useAppStoreApi();
  const viewingStep = useAppStore((s) => s.viewingStep);
  const range = useAppStoreShallow((s) => {
    const r = selectScrubRange(s);
    return { min: r?.min ?? 0, max: r?.max ?? 0, isEmpty: r === null };
  });
  const isEmpty = range.isEmpty;
  const isLive = viewingStep === null;
  const value = viewingStep ?? range.max;

  return (
    <section className={styles.bar} aria-label="Step slider" data-testid="step-slider">
      <label className={styles.label} htmlFor="step-slider-input">
        {isEmpty ? 'Step' : isLive ? `Live · step ${range.max}` : `Viewing step ${value} of ${range.max}`}
      </label>
      <input
        id="step-slider-input"
        className={styles.range}
        type="range"
        data-testid="step-slider-input"
        min={range.min}
        max={range.max}
        step={1}
        value={value}
        disabled={isEmpty || range.min === range.max}
        onChange={(e) => store.getState().setViewingStep(Number(e.target.value))}
        title={`Scrub back through the run: the charts mark the step and the gallery shows the views kept nearest before it (at most ${PROBE_HISTORY_CAP} snapshots are kept, evenly spaced).`}
      />
      <button type="button" className={styles.live} data-testid="step-slider-live" disabled={isLive} onClick={() => store.getState().setViewingStep(null)}>
        Live
      </button>
    </section>
  );
}

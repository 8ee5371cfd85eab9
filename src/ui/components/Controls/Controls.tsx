/**
 * Controls: Start / Pause / Resume / Stop (enabled by run state), "Evaluate kNN now", and a
 * "Copy share link" button, "Explain the next step" (paused runs; ExplainPanel shows it), and the metric export buttons (ExportMetrics). Start sends the
 * current panel config (and `maxSteps` from the URL).
 * Must not import: zustand, recharts, tfjs.
 */
import { useState } from 'react';
import { useShareLink } from '../../hooks/useUrlConfig';
import { useRunCommands } from '../../hooks/useTrainer';
import { selectControls, selectShownConfig } from '../../store/selectors';
import { useAppStore, useAppStoreShallow } from '../../store/useAppStore';
import { ExportMetrics } from '../ExportMetrics/ExportMetrics';
import styles from './Controls.module.css';

/** Props of Controls. */
export interface ControlsProps {
  /** Early stop from `?maxSteps=`, sent with Start; null for a full run. */
  maxSteps: number | null;
}

/** The run buttons. */
export function Controls({ maxSteps }: ControlsProps) {
  const commands = useRunCommands();
  const { copy } = useShareLink();
  const c = useAppStoreShallow(selectControls);
  const isExplaining = useAppStore((s) => s.explain.requestId !== null);
  // DINO / iBOT explain combinations of global and local views instead of pairs.
  const isMultiCrop = useAppStore((s) => ['dino', 'ibot'].includes(selectShownConfig(s).method));
  const [shareNote, setShareNote] = useState<string | null>(null);

  const onShare = () => {
    copy().then(
      () => setShareNote('Link copied: it opens this page with the same settings.'),
      (e: unknown) => setShareNote(e instanceof Error ? e.message : String(e)),
    );
  };

  return (
    <section className={styles.controls} aria-label="Run controls">
      <div className={styles.row}>
        <button type="button" className={styles.primary} data-testid="btn-start" disabled={!c.canStart} onClick={() => commands.start(maxSteps)}>
          ▶ Start
        </button>
        <button type="button" data-testid="btn-pause" disabled={!c.canPause} onClick={commands.pause}>
          ❚❚ Pause
        </button>
        <button type="button" data-testid="btn-resume" disabled={!c.canResume} onClick={commands.resume}>
          ▶ Resume
        </button>
        <button type="button" className={styles.danger} data-testid="btn-stop" disabled={!c.canStop} onClick={commands.stop}>
          ■ Stop
        </button>
      </div>
      <div className={styles.row}>
        <button type="button" className={styles.secondary} data-testid="btn-evaluate" disabled={!c.canEvaluate} onClick={commands.evaluate}
          title="Runs a weighted kNN evaluation on the held-out images now, outside the every-k-steps schedule.">
          Evaluate kNN now
        </button>
        <button type="button" className={styles.secondary} data-testid="btn-share" onClick={onShare}
          title="Copies a link to this page with the current settings (seed included).">
          Copy share link
        </button>
        <button type="button" className={styles.secondary} data-testid="btn-explain" disabled={!c.canExplain || isExplaining} onClick={commands.explainStep}
          title={isMultiCrop
            ? 'Pause first. Takes the next training step and shows its stages: sampled global and local views, combination scores, the chosen combination, its loss before and after the update.'
            : 'Pause first. Takes the next training step and shows its stages: sampled views, pair losses, the chosen pair, the loss before and after the update.'}>
          {isExplaining ? 'Explaining…' : 'Explain the next step'}
        </button>
      </div>
      <ExportMetrics />
      {c.startBlockedReason ? <p className={styles.note} data-testid="start-blocked">{c.startBlockedReason}</p> : null}
      {maxSteps !== null ? (
        <p className={styles.note}>This page was opened with <code>maxSteps={maxSteps}</code>: runs stop after step {maxSteps}.</p>
      ) : null}
      {shareNote ? <p className={styles.note} role="status">{shareNote}</p> : null}
    </section>
  );
}

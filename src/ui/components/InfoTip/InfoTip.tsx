/**
 * InfoTip: a circled-i button whose help pops up on hover and on keyboard focus. Long help shows a
 * short part (its first sentences, or an explicit `summary`; core/config/schemaHelp.ts) with a
 * "more" button that expands the popup to the full text; clicking the i (or Enter / Space on it)
 * toggles the same. The shown text (role="tooltip") is the button's accessible description. Tab
 * moves from the i to "more"; Escape hides the popup while focus stays inside; leaving collapses it.
 * Must not import: zustand, recharts, tfjs.
 */
import { useId, useState, type FocusEvent, type KeyboardEvent } from 'react';
import { splitHelp } from '../../../core/config/schemaHelp';
import styles from './InfoTip.module.css';

/** Props of InfoTip. */
export interface InfoTipProps {
  /** What the tip is about, for the button's accessible name ("About <label>"). */
  label: string;
  /** The full help text. */
  text: string;
  /** The short text shown first; default: the first sentences of `text` (splitHelp). */
  summary?: string;
}

/** An accessible hover/focus tooltip trigger with a "more" toggle for long help. */
export function InfoTip({ label, text, summary }: InfoTipProps) {
  const id = useId();
  const textId = `${id}-text`;
  const [isSuppressed, setSuppressed] = useState(false);
  const [isExpanded, setExpanded] = useState(false);
  const split = summary ? { short: summary, hasMore: summary !== text } : splitHelp(text);
  const reset = () => {
    setSuppressed(false);
    setExpanded(false);
  };
  const toggle = () => {
    setSuppressed(false);
    if (split.hasMore) setExpanded((v) => !v);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLSpanElement>) => {
    if (e.key === 'Escape') setSuppressed(true);
  };
  const onBlur = (e: FocusEvent<HTMLSpanElement>) => {
    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) reset();
  };
  return (
    <span
      className={`${styles.wrap} ${isSuppressed ? styles.suppressed : ''}`}
      onMouseLeave={(e) => { if (!e.currentTarget.contains(document.activeElement)) reset(); }}
      onKeyDown={onKeyDown}
      onBlur={onBlur}
    >
      <button
        type="button"
        className={styles.icon}
        aria-label={`About ${label}`}
        aria-describedby={textId}
        aria-expanded={split.hasMore ? isExpanded : undefined}
        aria-controls={split.hasMore ? id : undefined}
        onClick={toggle}
      >
        i
      </button>
      <span id={id} className={`${styles.tip} ${isExpanded ? styles.expanded : ''}`} data-testid="infotip">
        <span role="tooltip" id={textId}>{isExpanded || !split.hasMore ? text : split.short}</span>
        {split.hasMore ? (
          <>
            {' '}
            <button type="button" className={styles.more} aria-expanded={isExpanded} aria-controls={id} onClick={toggle} data-testid="infotip-more">
              {isExpanded ? 'less' : 'more'}
            </button>
          </>
        ) : null}
      </span>
    </span>
  );
}

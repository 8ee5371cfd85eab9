/**
 * InfoTip: a circled-i button whose help text pops up on hover and on keyboard focus, and is also its
 * native `title`. The popup is the button's accessible description (role="tooltip").
 * Escape hides it while focus stays on the button.
 * Must not import: zustand, recharts, tfjs.
 */
import { useId, useState, type KeyboardEvent } from 'react';
import styles from './InfoTip.module.css';

/** Props of InfoTip. */
export interface InfoTipProps {
  /** What the tip is about, for the button's accessible name ("About <label>"). */
  label: string;
  /** The help text. */
  text: string;
}

/** An accessible hover/focus tooltip trigger. */
export function InfoTip({ label, text }: InfoTipProps) {
  const id = useId();
  const [isSuppressed, setSuppressed] = useState(false);
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key === 'Escape') setSuppressed(true);
  };
  return (
    <span className={`${styles.wrap} ${isSuppressed ? styles.suppressed : ''}`} onMouseLeave={() => setSuppressed(false)}>
      <button
        type="button"
        className={styles.icon}
        aria-label={`About ${label}`}
        aria-describedby={id}
        title={text}
        onKeyDown={onKeyDown}
        onBlur={() => setSuppressed(false)}
      >
        i
      </button>
      <span role="tooltip" id={id} className={styles.tip}>
        {text}
      </span>
    </span>
  );
}

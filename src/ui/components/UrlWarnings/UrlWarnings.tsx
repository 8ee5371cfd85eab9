/**
 * UrlWarnings: the notice at the top of the page (under the header) that lists every value of
 * the opening link that was refused or changed — config values from the URL codec and the app's
 * own parameters (autostart, maxSteps, classroom) — and says that the address bar was rewritten
 * without them. Dismissing it hides it until the next load. Every line is cut to a bounded length
 * and the list to a bounded count, whatever the link held (a warning may quote a raw value).
 * Must not import: zustand, recharts, tfjs.
 */
import { useAppStore, useAppStoreApi } from '../../store/useAppStore';
import { shortText } from '../../../core/config/valueText';
import styles from './UrlWarnings.module.css';

/** Longest warning line shown, in characters. */
const MAX_LINE_CHARS = 300;
/** Most warning lines listed; the rest are counted. */
const MAX_LINES = 12;

/** The link-warnings notice; renders nothing when the link was clean or the notice dismissed. */
export function UrlWarnings() {
  const store = useAppStoreApi();
  const warnings = useAppStore((s) => s.urlWarnings);
  const isDismissed = useAppStore((s) => s.isUrlNoteDismissed);
  if (warnings.length === 0 || isDismissed) return null;
  const numText = warnings.length === 1 ? 'One value' : `${warnings.length} values`;
  return (
    <div className={styles.note} role="status" data-testid="url-warnings">
      <div className={styles.text}>
        <strong>{numText} in this link {warnings.length === 1 ? 'was' : 'were'} not used.</strong> The address bar was
        rewritten without {warnings.length === 1 ? 'it' : 'them'}:
        <ul className={styles.list}>
          {warnings.slice(0, MAX_LINES).map((w, i) => <li key={i}>{shortText(w, MAX_LINE_CHARS)}</li>)}
          {warnings.length > MAX_LINES ? <li>…and {warnings.length - MAX_LINES} more.</li> : null}
        </ul>
      </div>
      <button type="button" className={styles.close} aria-label="Dismiss link warnings" onClick={() => store.getState().dismissUrlWarnings()}>
        ×
      </button>
    </div>
  );
}

/**
 * ComboList: the candidate combinations HVP scored for one multi-crop probe image, best-ranked
 * first in the selection's order (hard: highest loss; easy: lowest), the chosen one highlighted
 * (and appended with its rank when it ranks lower, as in random mode), with how many candidates
 * were scored out of all possible ones.
 * Must not import: zustand, recharts, tfjs.
 */
import type { HvpMode } from '../../../core/config/runConfig';
import type { MultiCropView } from './multiCropView';
import styles from './MultiCropCard.module.css';

const ORDER_TEXT: Record<HvpMode, string> = {
  hard: 'highest loss first; hard keeps the top one',
  easy: 'lowest loss first; easy keeps the top one',
  random: 'highest loss first; random mode keeps a random one',
  off: 'HVP off: the plain views',
  iouPolicy: 'IoU policy: the two policy-drawn globals, no selection',
};

/** Props of ComboList. */
export interface ComboListProps {
  model: MultiCropView;
  mode: HvpMode;
}

/** The scored combinations. */
export function ComboList({ model, mode }: ComboListProps) {
  const span = model.topCombos.filter((r) => Number.isFinite(r.loss)).map((r) => r.loss);
  const digits = span.length > 1 && Math.max(...span) - Math.min(...span) < 0.1 ? 4 : 3;
  return (
    <div className={styles.combos} data-testid="multicrop-combos" data-scored={model.numScored}>
      <p className={styles.comboHead}>
        <b>{model.numScored}</b> of {model.numPossible.toLocaleString('en-US')} possible combination{model.numPossible === 1 ? '' : 's'} scored ({ORDER_TEXT[mode]})
      </p>
      <ol className={styles.comboList}>
        {model.topCombos.map((r) => (
          <li key={r.comboIdx} className={r.isChosen ? styles.chosenCombo : undefined} data-chosen={r.isChosen ? 'true' : undefined} data-testid="multicrop-combo">
            <span className={styles.rank}>#{r.rank}</span>
            <span className={styles.comboLabel}>{r.label}</span>
            <span className={styles.comboLoss}>{Number.isFinite(r.loss) ? r.loss.toFixed(digits) : '—'}</span>
            {r.isChosen ? <span className={styles.comboBadge}>chosen</span> : null}
          </li>
        ))}
      </ol>
    </div>
  );
}

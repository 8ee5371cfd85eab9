/**
 * PairMatrix: the N×N per-pair loss of one probe image as a small heatmap table. Darker = higher
 * loss (harder pair); the selected pair is outlined, the lowest-IoU pair marked ◆, and each
 * cell's tooltip gives its loss and crop IoU. Pairs without a loss (NaN: a multi-crop global pair
 * that no candidate combination uses) show a dash and stay out of the colour scale.
 * Must not import: zustand, recharts, tfjs.
 */
import type { ProbeImage } from '../../../core/train/metrics';
import { heatColor, isDarkHeat, pairMatrix, viewColor, viewName } from '../Gallery/galleryMath';
import styles from './PairMatrix.module.css';

/** Props of PairMatrix. */
export interface PairMatrixProps {
  image: ProbeImage;
  numViews: number;
}

/** Pair-loss heatmap of one probe image. */
export function PairMatrix({ image, numViews }: PairMatrixProps) {
  const rows = pairMatrix(image, numViews);
  // Early in training all pairs score almost the same: show a third decimal so cells differ.
  const finite = image.pairLosses.filter(Number.isFinite);
  const spread = finite.length > 0 ? Math.max(...finite) - Math.min(...finite) : 0;
  const digits = spread < 0.1 ? 3 : 2;
  const names = Array.from({ length: numViews }, (_, k) => viewName(k));
  return (
    <table className={styles.matrix} data-testid="pair-matrix" aria-label="Per-pair loss; the selected pair is outlined">
      <thead>
        <tr>
          <th scope="col" className={styles.corner} aria-label="view" />
          {names.map((n, l) => (
            <th key={n} scope="col" className={styles.head}>
              <span className={styles.swatch} style={{ background: viewColor(l) }} />{n}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, k) => (
          <tr key={names[k]}>
            <th scope="row" className={styles.head}>
              <span className={styles.swatch} style={{ background: viewColor(k) }} />{names[k]}
            </th>
            {row.map((cell, l) => {
              if (!cell && k === l) return <td key={names[l]} className={styles.diag} aria-label="same view">·</td>;
              if (!cell) return <td key={names[l]} className={styles.diag} title="No candidate combination uses this pair" aria-label="not a candidate pair">–</td>;
              const tip = `${viewName(cell.k)}–${viewName(cell.l)}: loss ${cell.loss.toFixed(3)}, IoU ${cell.iou.toFixed(2)}`
                + `${cell.isSelected ? ' — selected pair' : ''}${cell.isLowestIou ? ' — lowest IoU' : ''}`;
              return (
                <td
                  key={names[l]}
                  className={`${styles.cell} ${cell.isSelected ? styles.selected : ''}`}
                  style={{ background: heatColor(cell.heat), color: isDarkHeat(cell.heat) ? '#fff' : '#1b2129' }}
                  title={tip}
                  aria-label={tip}
                  data-selected={cell.isSelected ? 'true' : undefined}
                >
                  {cell.loss.toFixed(digits)}
                  {cell.isLowestIou ? <span className={styles.lowIou} aria-hidden="true">◆</span> : null}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * TermsMatrix: the per-sample loss terms of one multi-crop probe image as a G × (G + L) heatmap —
 * rows the teacher's global views, columns the student's views (globals, then locals). Darker =
 * larger term; the terms the chosen combination's loss sums are outlined. DINO has no term of a
 * view with itself (blank diagonal); iBOT's diagonal holds its masked-patch term, coloured on its own scale.
 * Must not import: zustand, recharts, tfjs.
 */
import { heatColor, isDarkHeat } from '../Gallery/galleryMath';
import type { CropView, MultiCropView } from './multiCropView';
import styles from './MultiCropCard.module.css';

/** Props of TermsMatrix. */
export interface TermsMatrixProps {
  model: MultiCropView;
  /** What the diagonal holds: nothing (DINO) or iBOT's masked-patch term. */
  hasDiagonal: boolean;
}

function Head({ v }: { v: CropView }) {
  return (
    <th scope="col" className={styles.head}>
      <span className={styles.swatch} style={{ background: v.color }} />{v.name}
    </th>
  );
}

/** The terms heatmap. */
export function TermsMatrix({ model, hasDiagonal }: TermsMatrixProps) {
  const columns = [...model.globals, ...model.locals];
  const values = model.terms.flat().filter((c) => c !== null).map((c) => c.value);
  const spread = values.length > 0 ? Math.max(...values) - Math.min(...values) : 0;
  const digits = spread < 0.1 ? 3 : 2;
  return (
    <table className={styles.matrix} data-testid="multicrop-terms" aria-label="Loss terms: teacher global views (rows) against student views (columns); the chosen combination's terms are outlined">
      <thead>
        <tr>
          <th scope="col" className={styles.corner} title="rows: teacher (global views); columns: student (all views)">t↓ s→</th>
          {columns.map((v) => <Head key={`${v.kind}${v.idx}`} v={v} />)}
        </tr>
      </thead>
      <tbody>
        {model.terms.map((row, q) => {
          const g = model.globals[q]!;
          return (
            <tr key={g.name}>
              <th scope="row" className={styles.head}>
                <span className={styles.swatch} style={{ background: g.color }} />{g.name}
              </th>
              {row.map((cell, v) => {
                const col = columns[v]!;
                if (!cell) {
                  const why = q === v ? 'same view: DINO compares no view with itself' : 'no value';
                  return <td key={col.name} className={styles.diag} title={why} aria-label={why}>·</td>;
                }
                const kind = q === v && hasDiagonal ? 'masked-patch term' : 'CLS cross-entropy';
                const tip = `teacher ${g.name} → student ${col.name}: ${kind} ${cell.value.toFixed(4)}${cell.isChosen ? ' — in the chosen combination' : ''}`;
                return (
                  <td
                    key={col.name}
                    className={`${styles.cell} ${cell.isChosen ? styles.chosenCell : ''}`}
                    style={{ background: heatColor(cell.heat), color: isDarkHeat(cell.heat) ? '#fff' : '#1b2129' }}
                    title={tip}
                    aria-label={tip}
                    data-chosen={cell.isChosen ? 'true' : undefined}
                  >
                    {cell.value.toFixed(digits)}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

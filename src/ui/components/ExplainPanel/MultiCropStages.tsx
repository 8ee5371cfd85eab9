/**
 * MultiCropStages: the four stages of an explained DINO / iBOT step (core/train/multiCropExplain.ts)
 * inside ExplainPanel — (1) each shown image's global and local views with their crop boxes, drawn by
 * the gallery's MultiCropCard (which also carries stage 2's terms heatmap and combination scores and
 * stage 3's chosen combination, outlined), (2) what was scored and how, per image, (3) the chosen
 * combination of each image with its score and rank, (4) that combination's eval-mode score just
 * before and just after the update.
 * Must not import: zustand, recharts, tfjs.
 */
import type { StepExplanation } from '../../../core/explain/stepExplanation';
import { useAppStore } from '../../store/useAppStore';
import { selectShownConfig } from '../../store/selectors';
import { MultiCropCard } from '../MultiCropGallery/MultiCropCard';
import { comboLabel } from '../MultiCropGallery/multiCropView';
import styles from './ExplainPanel.module.css';
import { signed, Stage } from './Stage';

const range = (xs: number[]) => `${Math.min(...xs).toFixed(4)} … ${Math.max(...xs).toFixed(4)}`;

/** The stages of an explained multi-crop step; every image carries `multiCrop`. */
export function MultiCropStages({ e }: { e: StepExplanation }) {
  const cfg = useAppStore(selectShownConfig);
  const first = e.images[0]?.multiCrop;
  const G = e.numViews;
  const L = first?.numLocals ?? 0;
  const delta = e.meanLossAfter - e.meanLossBefore;
  const isEasy = cfg.hvpMode === 'easy';
  return (
    <div className={styles.stages} data-testid="explain-stages" data-step={e.step} data-kind="multi-crop">
      <p className={styles.lead}>
        Step {e.step + 1} of the run, explained: {e.numImagesInBatch} images in the batch, {G} global and {L} local views each; the first {e.images.length} are shown.
        This was the run’s real next step — a run that is explained trains exactly as one that is not.
      </p>
      <Stage n={1} title="Sample global and local views" testId="explain-stage-views"
        caption={`Each image gets ${G} large global crops (${e.images[0]?.viewSize ?? 0} px) and ${L} small local crops (${first?.localSize ?? 0} px), boxes on the source in the colour of the view. Each card also shows stage 2 (terms heatmap, scored combinations) and stage 3 (the chosen combination, outlined).`}>
        {e.images.map((img) => img.multiCrop
          ? <MultiCropCard key={img.imageIdx} image={img} multiCrop={img.multiCrop} method={cfg.method} mode={cfg.hvpMode} />
          : null)}
      </Stage>
      <Stage n={2} title="Score the combinations" testId="explain-stage-losses"
        caption={e.isSelectionStep
          ? `The selection forward runs all views through the model (no gradients) and scores every candidate combination (2 globals, one even and one odd, plus ${cfg.numLocalViews} local${cfg.numLocalViews === 1 ? '' : 's'}) by the ${cfg.method === 'dino' ? 'DINO' : 'iBOT'} loss it would train on. The heatmap is each teacher global against each student view (BatchNorm in eval mode).`
          : `No selection forward this step (${e.selectionRule}); the score is the combination’s loss under the current model (BatchNorm in eval mode), and the heatmap its teacher × student terms.`}>
        <ul className={styles.list}>
          {e.images.map((img) => {
            const scores = img.multiCrop?.combos.map((c) => c.loss) ?? [];
            return (
              <li key={img.imageIdx} data-testid="explain-scores">
                image #{img.imageIdx}: {scores.length} combination{scores.length === 1 ? '' : 's'} scored{scores.length > 1 ? `, from ${range(scores)}` : scores.length === 1 ? ` (${scores[0]!.toFixed(4)})` : ''}
              </li>
            );
          })}
        </ul>
      </Stage>
      <Stage n={3} title="Pick the combination to train on" testId="explain-stage-choice"
        caption={`Rule: ${e.selectionRule}.`}>
        <ul className={styles.list}>
          {e.images.map((img) => {
            const mc = img.multiCrop;
            const c = mc?.combos[mc.selectedCombo];
            if (!mc || !c) return null;
            const rank = 1 + mc.combos.filter((o) => (isEasy ? o.loss < c.loss : o.loss > c.loss)).length;
            return (
              <li key={img.imageIdx} data-testid="explain-choice">
                image #{img.imageIdx}: <b>{comboLabel(c.globals, c.locals)}</b>, score {c.loss.toFixed(4)} (selection pass; rank {rank} of {mc.combos.length})
              </li>
            );
          })}
        </ul>
      </Stage>
      <Stage n={4} title="Update the model" testId="explain-stage-update"
        caption={`One optimizer step (learning rate ${e.learningRate.toPrecision(3)}) on the chosen combinations; training loss ${e.trainingLoss.toFixed(4)}. Below: each chosen combination's loss just before and just after the update, both measured the same way (BatchNorm in eval mode, no state changed), so the difference is the update alone; eval mode normalises differently from the selection pass, so “before” is not stage 3's score.`}>
        <table className={styles.table}>
          <thead>
            <tr><th scope="col">image</th><th scope="col">combination</th><th scope="col">loss before (eval mode)</th><th scope="col">loss after (eval mode)</th><th scope="col">change</th></tr>
          </thead>
          <tbody>
            {e.images.map((img) => {
              const c = img.multiCrop?.combos[img.multiCrop.selectedCombo];
              return (
                <tr key={img.imageIdx}>
                  <td>#{img.imageIdx}</td>
                  <td>{c ? comboLabel(c.globals, c.locals) : '—'}</td>
                  <td>{img.lossBefore.toFixed(4)}</td>
                  <td>{img.lossAfter.toFixed(4)}</td>
                  <td>{signed(img.lossAfter - img.lossBefore)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className={styles.summary} data-testid="explain-update-summary">
          Mean over all {e.numImagesInBatch} chosen combinations: {e.meanLossBefore.toFixed(4)} → {e.meanLossAfter.toFixed(4)} ({signed(delta)}
          {delta < 0 ? ', the step reduced it' : ', the step did not reduce it this time — one step with a moving teacher and center is noisy'}).
        </p>
      </Stage>
    </div>
  );
}

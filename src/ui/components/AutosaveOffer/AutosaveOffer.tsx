/**
 * AutosaveOffer: after a reload or crash, a notice under the header offering to resume the newest
 * autosaved run (it loads paused; Resume continues it) or to leave it for later (it stays listed in
 * the Checkpoints panel).
 * Must not import: zustand, recharts, tfjs.
 */
import { useRunCommands } from '../../hooks/useTrainer';
import { formatAge, selectAutosaveOffer } from '../../store/checkpointSelectors';
import { useAppStore, useAppStoreApi } from '../../store/useAppStore';
import styles from './AutosaveOffer.module.css';

/** The resume offer, or nothing; `maxSteps` (from the URL) applies to the loaded run. */
export function AutosaveOffer({ maxSteps }: { maxSteps: number | null }) {
  const store = useAppStoreApi();
  const commands = useRunCommands();
  const offer = useAppStore(selectAutosaveOffer);
  const isBusy = useAppStore((s) => s.pending !== null || !s.isWorkerAlive);
  if (!offer) return null;
  return (
    <div className={styles.offer} role="status" data-testid="autosave-offer">
      <span>
        <strong>Continue where you left off?</strong> A {offer.method} run (HVP {offer.hvpMode}, {offer.datasetName}) was autosaved at
        step {offer.step} of {offer.totalSteps}, {formatAge(offer.savedAt, Date.now())}.
      </span>
      <span className={styles.buttons}>
        <button type="button" data-testid="btn-offer-resume" disabled={isBusy} onClick={() => commands.loadAutosave(offer.runId, maxSteps)}>Load it</button>
        <button type="button" data-testid="btn-offer-dismiss" onClick={() => store.getState().dismissAutosaveOffer()}>Not now</button>
      </span>
    </div>
  );
}

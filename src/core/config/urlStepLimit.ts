/**
 * The `maxSteps=N` link parameter (stop the run after N steps), read strictly: a plain decimal
 * whole number ≥ 1 (no 0x/0b/0o, no Infinity). A number above the longest run a config allows
 * (totalSteps ≤ 1e6) is clamped to that with a warning: the run stops at its total steps anyway, so
 * "maxSteps=1e308" means "no limit", and the rewritten link shows the clamped value. Pure; the
 * hook in ui/hooks reads the URL and calls this.
 * Must not import: tfjs, DOM, React.
 */
import { parseDecimal } from './decimal';
import { fieldSpec, type NumberField } from './schema';
import { quoteText } from './valueText';

/** The most steps a link can ask for: the largest total steps a config allows. */
export const MAX_URL_STEP_LIMIT = (fieldSpec('totalSteps') as NumberField).max;

/** The step limit of `raw` (null = none) and a warning when the text was refused or clamped. */
export function parseStepLimit(raw: string): { maxSteps: number | null; warning?: string } {
  const parsed = parseDecimal(raw);
  const n = parsed.value;
  if (n === undefined || !Number.isInteger(n) || n < 1) {
    const why = parsed.reason === undefined ? '' : ` (${parsed.reason})`;
    return { maxSteps: null, warning: `maxSteps=${quoteText(raw)} is not a whole number ≥ 1${why}; the run goes to its total steps.` };
  }
  if (n > MAX_URL_STEP_LIMIT) {
    return { maxSteps: MAX_URL_STEP_LIMIT, warning: `maxSteps=${quoteText(raw)} is above ${MAX_URL_STEP_LIMIT}, the most steps a run can have; using ${MAX_URL_STEP_LIMIT}.` };
  }
  return { maxSteps: n };
}

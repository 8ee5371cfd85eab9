/**
 * StateMismatchError: saved state (a checkpoint's model or optimizer tensors) does not fit the
 * model or optimizer it is loaded into — missing, unexpected or misshapen tensors, unknown
 * optimizer slots. A UserError, so the CLI prints it as one line and the app as a message.
 * Lives here (no tfjs) so that core/ops and core/train can both throw it.
 * Must not import: tfjs, DOM, gpu/, worker/, ui/.
 */
import { UserError } from '../userError';

/** Thrown when saved state does not fit the model or optimizer it is loaded into. */
export class StateMismatchError extends UserError {
  override name = 'StateMismatchError';
}

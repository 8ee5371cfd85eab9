/**
 * UserError: the base of every error whose message is meant for the person using the app or the
 * CLI — a bad file, a bad setting, a run that cannot continue — as opposed to a bug. Its message
 * says what is wrong; `hint` says what to do. Each family (checkpoint files, dataset files, config
 * values, run state…) is a subclass that sets `name` itself, so callers never set `name` by hand.
 * The CLI prints a UserError as one line without a stack; the app shows it as a message.
 * Must not import: tfjs, DOM, gpu/, worker/, ui/.
 */

/** An error for the user: `message` (what is wrong) and `hint` (what to do; may be empty). */
export class UserError extends Error {
  override name = 'UserError';
  constructor(
    message: string,
    readonly hint: string = '',
  ) {
    super(message);
  }
}

/** Whether `e` is an error meant for the user (any UserError family). */
export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}

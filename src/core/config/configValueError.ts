/**
 * ConfigValueError: the error family of refused settings — a config value of the wrong type or
 * out of range, from the config panel, a link, the CLI or a checkpoint. Its message lists each
 * refused field (already bounded: schema messages echo at most a shortened value); `issues` keeps
 * them for callers that highlight fields. Any UserError reaches the user as one message, no stack.
 * Must not import: tfjs, DOM, React.
 */
import { UserError } from '../userError';
import type { ConfigIssue } from './schema';

/** Most issues spelled out in one message; the rest are counted. */
const MAX_LISTED = 8;

/** One line listing `issues` (at most a few, then "and N more"). */
export function issuesText(issues: readonly ConfigIssue[]): string {
  const listed = issues.slice(0, MAX_LISTED).map((i) => i.message);
  const rest = issues.length - listed.length;
  return rest > 0 ? `${listed.join(' ')} …and ${rest} more.` : listed.join(' ');
}

/** Settings that cannot be used; `hint` says what to do. */
export class ConfigValueError extends UserError {
  override name = 'ConfigValueError';
  constructor(
    readonly issues: readonly ConfigIssue[],
    hint: string = 'Fix the named settings and try again.',
  ) {
    super(issuesText(issues), hint);
  }
}

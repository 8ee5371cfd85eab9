// Driving the worker handler directly in Node tests (fake `post`, no Worker): the dependencies a test
// handler starts from, and waiting on the messages it posted.
import type { RunConfig } from '../../src/core/config/runConfig';
import { createTrainer } from '../../src/core/train/trainer';
import type { HandlerDeps } from '../../src/worker/handler';
import type { FromWorker } from '../../src/worker/protocol';
import { builtinDatasetFor } from './builtinDatasetFor';

/** The worker message of type `T`. */
export type Msg<T extends FromWorker['type']> = Extract<FromWorker, { type: T }>;

/**
 * Handler dependencies for Node: `post`, the tfjs CPU backend's info (no fallback), the built-in
 * dataset of the config and the real core trainer (resuming from the snapshot it is given).
 */
export function nodeHandlerDeps(post: (m: FromWorker) => void): HandlerDeps {
  return {
    post,
    initBackend: async () => ({ name: 'cpu', adapter: 'JavaScript CPU', fallbackReason: null }),
    makeDataset: builtinDatasetFor,
    makeTrainer: (c: RunConfig, d, r) => createTrainer(c, d, { resumeFrom: r }),
  };
}

/** How `waitForMessage` waits. */
export interface WaitOptions {
  /** Look at `msgs` from this index on. Default 0. */
  from?: number;
  /** Default 60 s. */
  timeoutMs?: number;
  /** Look again after this long. Default 20 ms. */
  pollMs?: number;
  /** Named in the timeout error ("timed out waiting for <what>"). */
  what?: string;
  /** Also look again when this registers `wake` and calls it (e.g. from `post`). */
  onWait?: (wake: () => void) => void;
}

/** The first message in `msgs` (from `from` on) that satisfies `pred`, once one has arrived. */
export async function waitForMessage(msgs: FromWorker[], pred: (m: FromWorker) => boolean, opts: WaitOptions = {}): Promise<FromWorker> {
  const { from = 0, timeoutMs = 60_000, pollMs = 20, what, onWait } = opts;
  const t0 = Date.now();
  for (;;) {
    const found = msgs.slice(from).find(pred);
    if (found) return found;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out${what ? ` waiting for ${what}` : ''}; got ${msgs.map((m) => m.type).join(',')}`);
    await new Promise<void>((r) => {
      onWait?.(r);
      setTimeout(r, pollMs);
    });
  }
}

/** The first message of `type` that satisfies `pred`, once one has arrived (waitForMessage). */
export async function waitForType<T extends FromWorker['type']>(msgs: FromWorker[], type: T, pred: (m: Msg<T>) => boolean = () => true, opts: WaitOptions = {}): Promise<Msg<T>> {
  return (await waitForMessage(msgs, (m) => m.type === type && pred(m as Msg<T>), { what: type, ...opts })) as Msg<T>;
}

/** Every message of `type` posted so far. */
export const messagesOf = <T extends FromWorker['type']>(msgs: FromWorker[], type: T): Msg<T>[] => msgs.filter((m): m is Msg<T> => m.type === type);

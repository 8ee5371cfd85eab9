// The worker's error replies (issue 16): a UserError reaches the UI as its message with its own
// hint; other errors keep the caller's hint; any thrown value serializes without throwing.
import { describe, expect, it } from 'vitest';
import { ConfigValueError } from '../core/config/configValueError';
import { validateConfig } from '../core/config/schema';
import { UserError } from '../core/userError';
import { serializeError, type FromWorker } from './protocol';
import { createReplies } from './workerState';

const repliesInto = (sent: FromWorker[]) => createReplies((msg) => sent.push(msg));

describe('worker error replies', () => {
  it("a UserError's own hint wins over the caller's; an empty one and other errors keep the caller's", () => {
    const sent: FromWorker[] = [];
    const { fail, warn } = repliesInto(sent);
    fail(new UserError('The file is not a checkpoint.', 'Choose a .safetensors file.'), 'Try again.', 3);
    warn(new UserError('Something is off.'), 'Try again.');
    fail(new Error('internal'), 'Reload the page.');
    expect(sent).toEqual([
      expect.objectContaining({ type: 'error', id: 3, isFatal: true, hint: 'Choose a .safetensors file.', error: expect.objectContaining({ name: 'UserError', message: 'The file is not a checkpoint.' }) }),
      expect.objectContaining({ isFatal: false, hint: 'Try again.' }),
      expect.objectContaining({ hint: 'Reload the page.', error: expect.objectContaining({ name: 'Error', message: 'internal' }) }),
    ]);
  });

  it('refused settings cross as a ConfigValueError naming each field, with a bounded message', () => {
    const sent: FromWorker[] = [];
    const issues = validateConfig({ numViews: { toString: () => '4' }, hvpMode: 'x'.repeat(1 << 20) } as never).issues;
    repliesInto(sent).fail(new ConfigValueError(issues, 'Fix the highlighted settings.'), 'Fix the highlighted settings.');
    const msg = sent[0] as Extract<FromWorker, { type: 'error' }>;
    expect(msg.error.name).toBe('ConfigValueError');
    expect(msg.error.message).toMatch(/^Views per image \(N\): got an object, expected a number in 2–8\. HVP mode: "x{40}…" \(1048576 characters\) is not one of/);
    expect(msg.error.message.length).toBeLessThan(400);
  });

  it('serializes any thrown value without throwing', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(serializeError(deep).message).toBe('A non-error value was thrown (an array).');
    expect(serializeError(cyclic).message).toBe('A non-error value was thrown (an object).');
    expect(serializeError(10n).message).toBe('A non-error value was thrown (10n).');
    expect(serializeError({ code: 'x'.repeat(10_000) }).message).toMatch(/^\{"code":"x+… \(10011 characters\)$/);
    expect(serializeError('plain text')).toEqual({ name: 'Error', message: 'plain text' });
  });
});

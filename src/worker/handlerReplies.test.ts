// The autosave requests get exactly one final reply with their id (an ack, or an error), with or
// without an autosave store, so a client can answer each request once.
import { describe, expect, it } from 'vitest';
import { createMemoryAutosaveStore } from './autosaveStore';
import { createHandler, type HandlerDeps } from './handler';
import type { FromWorker } from './protocol';

function setup(overrides: Partial<HandlerDeps> = {}) {
  const msgs: FromWorker[] = [];
  const handle = createHandler({
    post: (m) => msgs.push(m),
    initBackend: async () => ({ name: 'cpu', adapter: 'JavaScript CPU', fallbackReason: null }),
    makeDataset: () => { throw new Error('no dataset in this test'); },
    makeTrainer: () => { throw new Error('no trainer in this test'); },
    ...overrides,
  });
  /** Final replies (ack or error) to request `id`, after the handler has settled. */
  const repliesTo = async (id: number) => {
    await new Promise((r) => setTimeout(r, 50));
    return msgs.filter((m) => (m.type === 'ack' || m.type === 'error') && m.id === id).map((m) => m.type);
  };
  return { msgs, handle, repliesTo };
}

describe('one final reply per autosave request', () => {
  it('listAutosaves answers with the list and one ack, with and without a store', async () => {
    const none = setup();
    none.handle({ type: 'listAutosaves', id: 1 });
    expect(await none.repliesTo(1)).toEqual(['ack']);
    expect(none.msgs.some((m) => m.type === 'autosaves' && m.entries.length === 0)).toBe(true);
    const some = setup({ autosaves: createMemoryAutosaveStore() });
    some.handle({ type: 'listAutosaves', id: 2 });
    expect(await some.repliesTo(2)).toEqual(['ack']);
  });

  it('deleteAutosave acks once after the new list, or errs once', async () => {
    const store = createMemoryAutosaveStore();
    const a = setup({ autosaves: store });
    a.handle({ type: 'deleteAutosave', id: 3, runId: 'nothing-here' });
    expect(await a.repliesTo(3)).toEqual(['ack']);
    const failing = setup({ autosaves: { ...store, remove: async () => { throw new Error('storage is gone'); } } });
    failing.handle({ type: 'deleteAutosave', id: 4, runId: 'x' });
    expect(await failing.repliesTo(4)).toEqual(['error']);
  });
});

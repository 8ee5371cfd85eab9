// Worker handler with a ViT run (fake post, real trainer, tfjs CPU backend): the tfjs backbone
// export is refused with a non-fatal error whose message and hint say to export the checkpoint,
// the run is untouched, and the checkpoint export of the same run works, loads back and trains on.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeHandlerDeps, waitForMessage } from '../../tests/helpers/handlerHarness';
import { tinyConfig } from '../../tests/helpers/tinyConfig';
import { createHandler } from './handler';
import type { FromWorker } from './protocol';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function setup() {
  const msgs: FromWorker[] = [];
  const handle = createHandler(nodeHandlerDeps((m) => msgs.push(m)));
  const until = (pred: (m: FromWorker) => boolean, timeoutMs = 60_000) => waitForMessage(msgs, pred, { timeoutMs });
  return { handle, until };
}

const config = tinyConfig({ backbone: 'vit', imageSize: 16, vitPatchSize: 4, vitDim: 16, vitDepth: 2, vitHeads: 2, hvpMode: 'hard', numViews: 3, knnEvery: 0, autosaveEvery: 0 });

describe('worker backbone export with the ViT', () => {
  it('refuses the tfjs export with "export the checkpoint instead"; the checkpoint exports, loads and trains on', async () => {
    const a = setup();
    a.handle({ type: 'start', id: 1, config, maxSteps: 2 });
    await a.until((m) => m.type === 'done');
    a.handle({ type: 'exportBackbone', id: 2 });
    const err = await a.until((m) => m.type === 'error' && m.id === 2);
    expect(err).toMatchObject({
      isFatal: false,
      error: { name: 'UnsupportedExportError', message: expect.stringMatching(/tfjs export supports the ResNet backbones.*"vit"\. Export the checkpoint instead\./) },
      hint: expect.stringMatching(/timm's state_dict names/),
    });

    a.handle({ type: 'exportCheckpoint', id: 3 });
    const ex = await a.until((m) => m.type === 'exported' && m.id === 3);
    if (ex.type !== 'exported') throw new Error('unreachable');
    expect(ex.step).toBe(2);
    const b = setup();
    b.handle({ type: 'loadCheckpoint', id: 1, source: { kind: 'file', name: 'vit.safetensors', bytes: ex.files[0]!.bytes }, maxSteps: 3 });
    const loaded = await b.until((m) => m.type === 'loaded' || m.type === 'error');
    expect(loaded).toMatchObject({ type: 'loaded', step: 2, config: { backbone: 'vit', vitDim: 16 } });
    await b.until((m) => m.type === 'state' && m.state === 'paused');
    b.handle({ type: 'resume', id: 2 });
    const step3 = await b.until((m) => m.type === 'metrics' || m.type === 'error');
    expect(step3).toMatchObject({ type: 'metrics', metrics: { step: 3 } });
  });
});

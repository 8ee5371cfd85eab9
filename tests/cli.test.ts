// The headless CLI end to end, in child processes on the tfjs CPU backend with a tiny config:
// train 2 steps + resume to 4 equals a straight 4-step run (losses, weights, optimizer state, data
// position); info, eval and both exports read the checkpoint; bad input exits non-zero with one
// clear line; Ctrl-C finishes the step, saves and exits 130.
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint, type LoadedCheckpoint } from '../src/core/checkpoint/checkpointFile';
import { decodeSafetensors } from '../src/core/checkpoint/safetensors';
import { buildCli, jsonLines, runCli, setArgs, startCli, type CliResult } from './helpers/cliProcess';
import { tinyConfig } from './helpers/tinyConfig';
import { expectSameValues } from './helpers/trainerSteps';

// probeEvery 2: the gallery's probe stream draws at multiples of probeEvery and at the last step of
// each process, so a split at step 2 leaves it exactly where a straight run has it.
const TINY = setArgs(tinyConfig({ probeEvery: 2 }));
let dir = '';
const at = (name: string) => join(dir, name);
const load = (name: string): LoadedCheckpoint => decodeCheckpoint(readFileSync(at(name)), name);
const lossesOf = (r: CliResult) => jsonLines(r.stdout).filter((l) => l.type === 'metrics').map((l) => [l.step, l.loss]);
const expectOk = (r: CliResult) => expect(r.code, `exit ${r.code}\nstderr:\n${r.stderr}`).toBe(0);
/** stderr lines, without the launcher's note when it rebuilt the bundle (sources edited meanwhile). */
const stderrLines = (r: CliResult) => r.stderr.trim().split('\n').filter((l) => !l.startsWith('Building the CLI bundle'));

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'hvp-cli-test-'));
  buildCli();
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('CLI train → resume → info / eval / export', () => {
  let straight: CliResult;
  let first: CliResult;
  let resumed: CliResult;

  beforeAll(async () => {
    [straight, first] = await Promise.all([
      runCli(['train', ...TINY, '--steps', '4', '--out', at('straight.safetensors'), '--backend', 'cpu', '--json', '--quiet']),
      runCli(['train', ...TINY, '--steps', '2', '--out', at('first.safetensors'), '--backend', 'cpu', '--json']),
    ]);
    expectOk(straight);
    expectOk(first);
    resumed = await runCli(['resume', at('first.safetensors'), '--steps', '4', '--out', at('resumed.safetensors'), '--backend', 'cpu', '--json']);
    expectOk(resumed);
  });

  it('says which backend it runs on and writes a checkpoint of the step it reached', () => {
    expect(first.stderr).toMatch(/Backend: tfjs CPU \(--backend cpu\)/);
    expect(first.stderr).not.toMatch(/Hi, looks like you are running TensorFlow\.js in Node/);
    expect(load('first.safetensors').record.progress.step).toBe(2);
    const result = jsonLines(first.stdout).at(-1)!;
    expect(result).toMatchObject({ type: 'result', state: 'done', step: 2, path: at('first.safetensors') });
  });

  it('2 steps + resume to 4 gives the losses and the state of a straight 4-step run', () => {
    const all = lossesOf(straight);
    expect(all.map(([s]) => s)).toEqual([1, 2, 3, 4]);
    expect([...lossesOf(first), ...lossesOf(resumed)]).toEqual(all);
    expect(resumed.stderr).toMatch(/Resuming .*first\.safetensors at step 2 of 100; training to step 4/);

    const a = load('straight.safetensors');
    const b = load('resumed.safetensors');
    // Generator words are 32-bit; a state may hold one as a signed or an unsigned number.
    const u32 = (x: unknown): unknown => (Array.isArray(x) ? x.map(u32) : typeof x === 'number' ? x >>> 0 : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, u32(v)])) : x);
    expect(u32(b.record.progress)).toEqual(u32(a.record.progress));
    expect(u32(b.record.probeRng)).toEqual(u32(a.record.probeRng));
    expect(b.record.history.metrics.map((m) => m.loss)).toEqual(a.record.history.metrics.map((m) => m.loss));
    expectSameValues(b.snapshot.model, a.snapshot.model);
    expectSameValues(b.snapshot.optimizer, a.snapshot.optimizer);
  });

  it('--backend wasm trains, names the engine, and 2 steps + resume to 4 on wasm equal 4 straight steps on wasm', async () => {
    const [w4, w2] = await Promise.all([
      runCli(['train', ...TINY, '--steps', '4', '--out', at('wasm4.safetensors'), '--backend', 'wasm', '--json', '--quiet']),
      runCli(['train', ...TINY, '--steps', '2', '--out', at('wasm2.safetensors'), '--backend', 'wasm', '--json']),
    ]);
    expectOk(w4);
    expectOk(w2);
    expect(w2.stderr).toMatch(/Backend: wasm, (no )?SIMD, 1 thread \(Node runs it single-threaded\)\./);
    const w2to4 = await runCli(['resume', at('wasm2.safetensors'), '--steps', '4', '--out', at('wasm2to4.safetensors'), '--backend', 'wasm', '--json']);
    expectOk(w2to4);
    expect([...lossesOf(w2), ...lossesOf(w2to4)]).toEqual(lossesOf(w4));
    expect(load('wasm4.safetensors').record.backend).toBe('wasm');
    const a = load('wasm4.safetensors').snapshot;
    const b = load('wasm2to4.safetensors').snapshot;
    expectSameValues(b.model, a.model);
    // the same run on cpu: the engines agree to float32 rounding
    lossesOf(straight).forEach(([, l], i) => expect(Math.abs((l as number) - (lossesOf(w4)[i]![1] as number))).toBeLessThan(1e-4));
  }, 120_000);

  it('info prints the record summary, as text and as JSON', async () => {
    const [text, json] = await Promise.all([runCli(['info', at('resumed.safetensors')]), runCli(['info', at('resumed.safetensors'), '--json'])]);
    expectOk(text);
    expect(text.stdout).toMatch(/method\s+simsiam, HVP hard \(N = 4, every 1 step\)/);
    expect(text.stdout).toMatch(/progress\s+step 4 of 100, epoch 0 \(next image 16 of 32\)/);
    expect(text.stdout).toMatch(/batchSize=4 \(default 64\)/);
    expect(text.stdout).toMatch(/dataset\s+shapes-10: 32 training \+ 16 held-out images of 32×32, fingerprint [0-9a-f]{8}/);
    expect(text.stdout).toMatch(/HVP Playground 0\.1\.0 on cpu/);
    expectOk(json);
    const info = jsonLines(json.stdout)[0]!;
    expect(info).toMatchObject({ type: 'info', method: 'simsiam', step: 4, epoch: 0, appVersion: '0.1.0', backend: 'cpu' });
    expect((info.configDiff as Record<string, unknown>).backboneWidth).toEqual({ value: 2, default: 16 });
    expect(info.configDiff).not.toHaveProperty('method');
  });

  it('eval prints the kNN top-1 on the held-out split', async () => {
    const r = await runCli(['eval', at('resumed.safetensors'), '--backend', 'cpu', '--json', '--quiet']);
    expectOk(r);
    const ev = jsonLines(r.stdout)[0]!;
    expect(ev).toMatchObject({ type: 'eval', step: 4, k: 3, numBank: 32, numQueries: 16, backend: 'cpu' });
    expect(ev.top1 as number).toBeGreaterThanOrEqual(0);
    expect(ev.top1 as number).toBeLessThanOrEqual(1);
  });

  it('exports the backbone as a tfjs LayersModel and as a torchvision state dict', async () => {
    const [tfjs, torch] = await Promise.all([
      runCli(['export', at('resumed.safetensors'), '--format', 'tfjs', '--out', at('tfjs')]),
      runCli(['export', at('resumed.safetensors'), '--format', 'torchvision', '--out', at('torch')]),
    ]);
    expectOk(tfjs);
    expectOk(torch);
    expect(tfjs.stdout).toMatch(/exported the tfjs LayersModel of step 4/);
    const modelJson = JSON.parse(readFileSync(at('tfjs/model.json'), 'utf8')) as tf.io.ModelJSON;
    expect(modelJson.weightsManifest[0]!.paths).toEqual(['model.weights.bin']);
    const weights = readFileSync(at('tfjs/model.weights.bin'));
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0]!.weights, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) }));
    const features = model.predict(tf.zeros([1, 8, 8, 3])) as tf.Tensor;
    expect(features.shape).toEqual([1, 8 * 2]); // pooled features: 8 · backboneWidth
    features.dispose();
    model.dispose();

    expect(torch.stderr).toMatch(/width 2; torchvision's ResNets have width 64/);
    const { tensors, metadata } = decodeSafetensors(readFileSync(at('torch/backbone.safetensors')));
    expect(tensors.get('conv1.weight')!.shape).toEqual([2, 3, 3, 3]); // OIHW
    const tracked = tensors.get('bn1.num_batches_tracked')!;
    expect(tracked.storedDtype).toBe('I64');
    expect(tracked.data[0]).toBe(4);
    expect([...tensors.keys()].some((k) => k.startsWith('backbone.') || k.startsWith('projector.'))).toBe(false);
    expect(JSON.parse(metadata['hvp.backbone']!)).toMatchObject({ backbone: 'resnet10', backboneWidth: 2, step: 4 });

    const again = await runCli(['export', at('resumed.safetensors'), '--format', 'torchvision', '--out', at('torch')]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/backbone\.safetensors exists already\. Pass --force/);
  });

  it('safetensors-backbone writes the same state dict as torchvision for a ResNet, and any backbone (ViT) alone', async () => {
    const vitArgs = ['--set', 'backbone=vit', '--set', 'vitDim=8', '--set', 'vitDepth=1', '--set', 'vitHeads=2', '--set', 'vitPatchSize=4'];
    const [generic, vitTrain] = await Promise.all([
      runCli(['export', at('resumed.safetensors'), '--format', 'safetensors-backbone', '--out', at('generic')]),
      runCli(['train', ...TINY, ...vitArgs, '--steps', '1', '--out', at('vit.safetensors'), '--backend', 'cpu', '--quiet']),
    ]);
    expectOk(generic);
    expectOk(vitTrain);
    // For a ResNet the two formats write the same tensors (the torchvision file is the previous test's).
    const resnet = decodeSafetensors(readFileSync(at('generic/backbone.safetensors'))).tensors;
    const torchvision = decodeSafetensors(readFileSync(at('torch/backbone.safetensors'))).tensors;
    expect([...resnet.keys()].sort()).toEqual([...torchvision.keys()].sort());
    expectSameValues(resnet, torchvision);

    const [vitGeneric, vitTorch, vitTfjs] = await Promise.all([
      runCli(['export', at('vit.safetensors'), '--format', 'safetensors-backbone', '--out', at('vit-generic')]),
      runCli(['export', at('vit.safetensors'), '--format', 'torchvision', '--out', at('vit-torch')]),
      runCli(['export', at('vit.safetensors'), '--format', 'tfjs', '--out', at('vit-tfjs')]),
    ]);
    expectOk(vitGeneric);
    expect(vitGeneric.stdout).toMatch(/exported the backbone state dict of step 1 \(vit dim 8, depth 1, 2 heads, patch 4\)/);
    const vit = decodeSafetensors(readFileSync(at('vit-generic/backbone.safetensors')));
    expect([...vit.tensors.keys()].some((k) => k.startsWith('blocks.0.'))).toBe(true);
    expect(JSON.parse(vit.metadata['hvp.backbone']!)).toMatchObject({ backbone: 'vit', vitDim: 8, vitDepth: 1, step: 1 });
    expect(vitTorch.code).toBe(2);
    expect(vitTorch.stderr).toMatch(/^error: --format torchvision writes a torchvision ResNet state dict, but .*vit\.safetensors holds a vit backbone\. Use --format safetensors-backbone/m);
    expect(vitTfjs.code).toBe(2);
    expect(vitTfjs.stderr).toMatch(/^error: The tfjs export supports the ResNet backbones .*--format safetensors-backbone/m);
    expect(existsSync(at('vit-torch/backbone.safetensors')) || existsSync(at('vit-tfjs/model.json'))).toBe(false);
  });

  it('refuses a checkpoint whose dataset fingerprint does not match the regenerated data', async () => {
    const c = load('first.safetensors');
    const { format: _f, version: _v, progress: _p, tensors: _t, ...input } = c.record;
    writeFileSync(at('other-data.safetensors'), encodeCheckpoint({ ...input, dataset: { ...input.dataset, hash: '00000000' } }, c.snapshot));
    const r = await runCli(['resume', at('other-data.safetensors'), '--steps', '3', '--backend', 'cpu']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*other-data\.safetensors does not fit the data: The checkpoint was trained on "shapes-10" .*fingerprint 00000000.*, but the loaded dataset is .* check that the file was not edited\.$/m);
    expect(existsSync(at('other-data.safetensors'))).toBe(true);
  });
});

describe('CLI errors: exit code and one clear line', () => {
  const cases: [string, string[], number, RegExp][] = [
    ['an unknown command', ['fly'], 2, /^error: Unknown command "fly"; the commands are train, resume, eval, export, info, sweep, help\. Run `npm run cli -- help`/],
    ['an unknown option', ['train', '--stepz', '3'], 2, /^error: Unknown option --stepz for "train"; it takes --config, --set/],
    ['a value out of range', ['train', '--set', 'batchSize=600'], 2, /^error: Invalid setting: batchSize=600 \(from --set\): Batch size \(M\): 600 is out of range 2–512\. Run `npm run cli -- help settings`/],
    ['an unknown setting', ['train', '--set', 'batchsize=6'], 2, /^error: --set batchsize=6: unknown setting "batchsize"\./],
    ['a bad --steps', ['train', '--steps', 'many'], 2, /^error: --steps must be a whole number from 1 to 1000000000, got "many"\./],
    ['a missing checkpoint', ['resume', 'no-such.safetensors'], 1, /^error: The checkpoint no-such\.safetensors does not exist\. Check the path/],
    ['a missing config file', ['train', '--config', 'no-such.json'], 2, /^error: The config file no-such\.json does not exist\. Check the --config path\.$/m],
    ['export without --format', ['export', 'x.safetensors', '--out', 'd'], 2, /^error: "export" needs --format \(tfjs, torchvision, safetensors-backbone\)\./],
  ];
  it.each(cases)('%s', async (_what, args, code, message) => {
    const r = await runCli(args, { cwd: dir });
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(stderrLines(r)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('a truncated checkpoint, a non-checkpoint file and a finished target are refused', async () => {
    const bytes = readFileSync(at('first.safetensors'));
    writeFileSync(at('truncated.safetensors'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    writeFileSync(at('notes.txt'), 'hello');
    const [truncated, text, done] = await Promise.all([
      runCli(['info', at('truncated.safetensors')]),
      runCli(['eval', at('notes.txt'), '--backend', 'cpu']),
      runCli(['resume', at('first.safetensors'), '--steps', '2', '--backend', 'cpu']),
    ]);
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toMatch(/^error: .*truncated\.safetensors.*(truncated|ends|short|bytes)/im);
    expect(stderrLines(truncated)).toHaveLength(1);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/^error: .*notes\.txt/m);
    expect(done.code).toBe(2);
    expect(done.stderr).toMatch(/The run is at step 2 already, and --steps 2 is the step to stop at \(absolute\).*Pass a --steps larger than 2\./);
  });

  it('--backend webgpu without a GPU adapter fails with the reason; auto falls back to wasm and says why', async () => {
    const noDriver = { VK_ICD_FILENAMES: join(dir, 'no-such-icd.json') }; // the Vulkan loader finds no driver
    const [webgpu, auto] = await Promise.all([
      runCli(['train', ...TINY, '--steps', '1', '--out', at('gpu.safetensors'), '--backend', 'webgpu'], { env: noDriver }),
      runCli(['train', ...TINY, '--steps', '1', '--out', at('auto.safetensors'), '--quiet'], { env: noDriver }),
    ]);
    expect(webgpu.code).toBe(1);
    expect(webgpu.stderr).toMatch(/^error: --backend webgpu was requested, but Dawn found no GPU adapter .*Install or update the GPU driver .*or run with --backend auto, wasm or cpu\.$/m);
    expect(existsSync(at('gpu.safetensors'))).toBe(false);
    expectOk(auto);
    expect(load('auto.safetensors').record.backend).toBe('wasm');
    const announced = await runCli(['train', ...TINY, '--steps', '1', '--out', at('auto.safetensors'), '--force'], { env: noDriver });
    expect(announced.stderr).toMatch(/Backend: wasm, (no )?SIMD, 1 thread \(Node runs it single-threaded\); not the GPU because WebGPU: Dawn found no GPU adapter/);
  }, 60_000);

  it('train refuses to overwrite an existing checkpoint without --force', async () => {
    const r = await runCli(['train', ...TINY, '--steps', '1', '--out', at('first.safetensors'), '--backend', 'cpu']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/first\.safetensors exists already and would be overwritten\. Pass --force/);
    expect(load('first.safetensors').record.progress.step).toBe(2);
  });
});

describe('CLI Ctrl-C', () => {
  it('finishes the current step, saves, and exits 130 with "saved to"', async () => {
    let sent = false;
    const { done } = startCli(['train', ...TINY, '--steps', '100', '--out', at('interrupted.safetensors'), '--backend', 'cpu', '--json'], {
      onStdoutLine: (line, child) => {
        if (!sent && line.includes('"type":"metrics"')) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    const r = await done;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/Ctrl-C: finishing the current step, then saving/);
    const result = jsonLines(r.stdout).at(-1)!;
    expect(result).toMatchObject({ type: 'result', state: 'stopped', path: at('interrupted.safetensors') });
    const saved = load('interrupted.safetensors');
    expect(saved.record.progress.step).toBe(result.step);
    expect(saved.record.progress.step).toBeGreaterThanOrEqual(1);
    expect(saved.record.progress.step).toBeLessThan(100);
    expect(saved.record.history.metrics.at(-1)!.step).toBe(result.step);
  });
});

// CLI resume --data of a run whose view size changed after its set was imported: the browser stores
// a set at the view size of the import, and a run may then render its views at another size; the
// CLI decodes the files at the checkpoint's dataset size (record.dataset.height), not the view
// size, so the fingerprint matches; hvp_torch's import for a resume does the same (skipped without a
// Python with torch, except under CI=true). Child processes on the tfjs CPU backend.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '../src/core/checkpoint/checkpointFile';
import { buildCli, runCli, setArgs } from './helpers/cliProcess';
import { cifar10TarGz } from './helpers/datasetFiles';
import { tinyConfig } from './helpers/tinyConfig';
import { findTorchPython, TORCH_MISSING } from './helpers/torchPython';

const python = findTorchPython();
/** hvp_torch's run dataset for resuming `checkpoint` from `data`, as its fingerprint (run.py _load_dataset). */
const PY_FINGERPRINT = `
import json, sys
from hvp_torch.data import fingerprint_dataset, import_run_dataset
record = json.loads(sys.argv[1])
d = import_run_dataset([sys.argv[2]], record["config"], name=record["dataset"]["name"], image_size=record["dataset"]["height"])
print(json.dumps(fingerprint_dataset(d)))
`;

const CONFIG = tinyConfig({ imageSize: 16, batchSize: 8, numTrainImages: 200, numTestImages: 20, backbone: 'resnet10', backboneWidth: 2 });
let dir = '';
const at = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hvp-cli-data-size-'));
  writeFileSync(at('cifar-10-binary.tar.gz'), cifar10TarGz({ numTrainPerBatch: 12, numTest: 20, seed: 5 }));
  buildCli();
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('CLI resume --data at the size the set was imported at', () => {
  it('a run stored at 16×16 whose views are 8×8 resumes from its files', async () => {
    const trained = await runCli(['train', ...setArgs(CONFIG), '--steps', '1', '--out', at('run.safetensors'), '--backend', 'cpu', '--data', at('cifar-10-binary.tar.gz')]);
    expect(trained.code, trained.stderr).toBe(0);
    const ck = decodeCheckpoint(readFileSync(at('run.safetensors')), 'run');
    expect(ck.record.dataset).toMatchObject({ height: 16, width: 16 });
    // As the browser records it: the set imported at 16, the views then set to 8, its own stored id.
    const config = { ...ck.record.config, imageSize: 8, dataset: 'stored:lq3x9-a1b2c3d4' as const };
    writeFileSync(at('browser.safetensors'), encodeCheckpoint({ ...ck.record, config }, ck.snapshot));
    const r = await runCli(['resume', at('browser.safetensors'), '--steps', '2', '--out', at('browser2.safetensors'), '--backend', 'cpu', '--data', at('cifar-10-binary.tar.gz')]);
    expect(r.code, r.stderr).toBe(0);
    const resumed = decodeCheckpoint(readFileSync(at('browser2.safetensors')), 'browser2').record;
    expect(resumed.progress.step).toBe(2);
    expect(resumed.config).toMatchObject({ imageSize: 8, dataset: 'stored:lq3x9-a1b2c3d4' });
    expect(resumed.dataset).toEqual(ck.record.dataset);
  });

  it.runIf(python || process.env.CI)(`hvp_torch decodes a resume's files at the same size${python ? '' : ` (fails: ${TORCH_MISSING})`}`, () => {
    expect(python, TORCH_MISSING).not.toBeNull();
    const { record } = decodeCheckpoint(readFileSync(at('browser.safetensors')), 'browser');
    const r = spawnSync(python!, ['-c', PY_FINGERPRINT, JSON.stringify({ config: record.config, dataset: record.dataset }), at('cifar-10-binary.tar.gz')],
      { cwd: resolve(__dirname, '..', 'python'), encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const { normalization: _n, ...saved } = record.dataset;
    expect(JSON.parse(r.stdout)).toMatchObject(saved);
  });
});

// hvp_torch refuses a run that uses one of the browser's HVP variants it does not implement (issue 17:
// hvpMode iouPolicy, colorStatic, selectScale) with a message naming the setting, and accepts the
// defaults and records written before the fields existed. python/hvp_torch/variants.py needs no
// torch, so this runs wherever python3 is; checkpoint.py's load path must call it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/core/config/runConfig';

const PY_DIR = join(import.meta.dirname, '..', 'python');
const hasPython = spawnSync('python3', ['--version']).status === 0;

/** unsupported_variant(config) of each config: null or [message, hint]. */
function verdicts(configs: object[]): Array<[string, string] | null> {
  const script = 'import json,sys\nfrom hvp_torch.variants import unsupported_variant\nprint(json.dumps([unsupported_variant(c) for c in json.load(sys.stdin)]))';
  const run = spawnSync('python3', ['-c', script], { cwd: PY_DIR, input: JSON.stringify(configs), encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Array<[string, string] | null>;
}

describe('hvp_torch refuses the HVP variants it lacks', () => {
  it.runIf(hasPython || process.env.CI)('accepts the defaults (and their absence), refuses each non-default variant by name', () => {
    const { iouPolicyStart: _a, iouPolicyEnd: _b, colorStatic: _c, selectScale: _d, ...old } = DEFAULT_CONFIG;
    const [defaults, older, otherBound, iou, color, scale, scaleFloat] = verdicts([
      DEFAULT_CONFIG, old, { ...DEFAULT_CONFIG, iouPolicyStart: 0.9 },
      { ...DEFAULT_CONFIG, hvpMode: 'iouPolicy' }, { ...DEFAULT_CONFIG, colorStatic: 'step' },
      { ...DEFAULT_CONFIG, selectScale: 0.5 }, { ...DEFAULT_CONFIG, selectScale: 1.0 },
    ]);
    expect([defaults, older, otherBound, scaleFloat]).toEqual([null, null, null, null]);
    expect(iou![0]).toMatch(/hvpMode 'iouPolicy'.*off, hard, easy, random/);
    expect(color![0]).toMatch(/colorStatic = 'step'.*only colorStatic = 'off'/);
    expect(scale![0]).toMatch(/selectScale = 0\.5/);
    expect(iou![1]).toMatch(/browser or with the Node CLI/);
  });

  it('checkpoint.py runs the check when it loads a run', () => {
    const src = readFileSync(join(PY_DIR, 'hvp_torch', 'checkpoint.py'), 'utf8');
    const body = src.slice(src.indexOf('def _check_supported'), src.indexOf('def _check_tensors'));
    expect(body).toContain('unsupported_variant(config)');
  });
});

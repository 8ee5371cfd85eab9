// The CLI in-process with hostile settings (issue 16): every refused value is exit 2 with one short
// line naming the setting, never a stack or a raw TypeError/RangeError.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_USAGE } from './cliError';
import type { TextStream } from './output';
import { runCli } from './runCli';

async function run(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const stdout: TextStream = { write: () => true };
  const err: TextStream = { write: (s: string) => (stderr += s) };
  const code = await runCli(argv, stdout, err);
  return { code, stderr };
}

describe('CLI with hostile settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hvp-cli-settings-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  const cases: Array<[string, string[], RegExp]> = [
    ['a hex --set', ['train', '--set', 'batchSize=0x10'], /batchSize=0x10 \(from --set\): Batch size \(M\): "0x10" is not a plain decimal number/],
    ['--set totalSteps=1e308', ['train', '--set', 'totalSteps=1e308'], /Total steps: 1e\+308 is out of range 1–1000000\./],
    ['a megabyte --set value', ['train', '--set', `hvpMode=${'y'.repeat(1 << 20)}`], /hvpMode=y{40}… \(1048576 characters\)/],
    ['--steps 0b101', ['train', '--steps', '0b101'], /--steps must be a whole number from 1 to \d+, got "0b101"/],
    ['an object in a config file', ['train', '--config', file('obj.json', '{"batchSize": {"toString": 1}}')], /Batch size \(M\): got an object, expected a number in 2–512\./],
    ['a deep array in a config file', ['train', '--config', file('deep.json', `{"seed": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`)], /Seed: got an array, expected a number/],
    ['a config file of a deep array', ['train', '--config', file('deep2.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`)], /holds an array, not an object of settings/],
    ['a config file that is a device', ['train', '--config', '/dev/zero'], /The config file \/dev\/zero is not a regular file\./],
  ];
  it.each(cases)('%s', async (_what, argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.length).toBeLessThan(600);
    expect(r.stderr).not.toMatch(/TypeError|RangeError|\n\s+at /);
  });
});

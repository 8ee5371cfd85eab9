// Hostile settings through the CLI (issue 16, items 2 and 8): --set values and config files with
// non-decimal numerals, huge strings, deep arrays, objects and `__proto__` keys, and config paths that
// are not small regular files. Every case is a UsageError naming the key, with a bounded message.
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config/runConfig';
import { intOption, parseArgs } from './args';
import { UsageError } from './cliError';
import { buildRunConfig, MAX_CONFIG_FILE_BYTES, parseSets, readConfigFile } from './configInput';

const MAX_MESSAGE = 400;
const HUGE = 'x'.repeat(1 << 20);
const thrown = (fn: () => unknown): UsageError => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message.length).toBeLessThan(MAX_MESSAGE);
    return e as UsageError;
  }
  throw new Error('expected a UsageError');
};

describe('--set with hostile values', () => {
  it('refuses non-decimal, non-finite and out-of-range numbers, naming the key and the range', () => {
    for (const v of ['0x10', '0b101', '0o17', '1e308', 'Infinity', 'NaN', '1_000', '١٢', HUGE]) {
      const e = thrown(() => buildRunConfig(null, parseSets([`batchSize=${v}`])));
      expect(e.message).toMatch(/^Invalid setting: batchSize=.* \(from --set\): Batch size \(M\): /);
    }
    expect(thrown(() => buildRunConfig(null, parseSets(['batchSize=0x10']))).message).toBe('Invalid setting: batchSize=0x10 (from --set): Batch size (M): "0x10" is not a plain decimal number (hexadecimal, binary and octal forms are refused); allowed range 2–512.');
    expect(thrown(() => buildRunConfig(null, parseSets(['totalSteps=1e308']))).message).toContain('Total steps: 1e+308 is out of range 1–1000000.');
    expect(buildRunConfig(null, parseSets(['batchSize= 32 ', 'seed=-0'])).batchSize).toBe(32);
  });

  it('shortens long keys and pairs, and refuses __proto__', () => {
    expect(thrown(() => parseSets([HUGE])).message).toMatch(/^--set "x{40}…" \(1048576 characters\) is not KEY=VALUE\.$/);
    expect(thrown(() => parseSets([`${HUGE}=1`])).message).toMatch(/unknown setting "x{40}…" \(1048576 characters\)\.$/);
    expect(thrown(() => parseSets(['__proto__=1'])).message).toBe('--set __proto__=1: unknown setting "__proto__".');
  });

  it('numeric options read plain decimals only', () => {
    const steps = (v: string) => intOption(parseArgs(['train', `--steps=${v}`]), 'steps', 1, 100);
    expect(steps('16')).toBe(16);
    expect(thrown(() => steps('0x10')).message).toBe('--steps must be a whole number from 1 to 100, got "0x10" (not a plain decimal number (hexadecimal, binary and octal forms are refused)).');
    for (const v of ['0b101', '0o17', '1e308', 'Infinity', HUGE]) thrown(() => steps(v));
  });
});

describe('config files with hostile content', () => {
  const file = (text: string) => ({ path: 'c.json', values: readConfigFile('c.json', () => text) });
  it('names the key and what it holds, for objects, deep arrays, huge strings and infinite numbers', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const cases: Array<[string, RegExp]> = [
      ['{"batchSize": {"toString": "32"}}', /batchSize=an object \(from c\.json\): Batch size \(M\): got an object, expected a number in 2–512\./],
      [`{"batchSize": ${deep}}`, /batchSize=an array \(from c\.json\): Batch size \(M\): got an array/],
      [`{"hvpMode": "${HUGE}"}`, /hvpMode=x{40}… \(1048576 characters\) \(from c\.json\): HVP mode: "x{40}…" \(1048576 characters\) is not one of/],
      ['{"batchSize": 1e400}', /Batch size \(M\): Infinity is not a finite number; allowed range 2–512\./],
      ['{"batchSize": "0x10"}', /hexadecimal, binary and octal forms are refused/],
      ['{"seed": true}', /Seed: got true, expected a number/],
    ];
    for (const [text, re] of cases) expect(thrown(() => buildRunConfig(file(text), {})).message).toMatch(re);
  });

  it('refuses non-objects and unknown keys with bounded messages', () => {
    expect(thrown(() => file(`"${HUGE}"`)).message).toMatch(/^The config file c\.json holds "x{40}…" \(1048576 characters\), not an object/);
    expect(thrown(() => file(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).message).toBe('The config file c.json holds an array, not an object of settings.');
    const keys = Array.from({ length: 500 }, (_, i) => `"k${i}": 1`).join(', ');
    expect(thrown(() => file(`{"__proto__": 1, ${keys}}`)).message).toMatch(/^The config file c\.json has unknown setting\(s\): "__proto__", "k0", .*, …and 493 more\.$/);
    expect(thrown(() => file(`{${HUGE}`)).message).toMatch(/^The config file c\.json is not valid JSON/);
  });

  const dir = mkdtempSync(join(tmpdir(), 'hvp-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('reads only small regular files', () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, '{}');
    truncateSync(big, MAX_CONFIG_FILE_BYTES + 1);
    expect(thrown(() => readConfigFile(big)).message).toMatch(/is 1048577 bytes; a config file is at most 1048576 bytes/);
    expect(thrown(() => readConfigFile(dir)).message).toBe(`The config file ${dir} is a directory.`);
    expect(thrown(() => readConfigFile('/dev/zero')).message).toBe('The config file /dev/zero is not a regular file.');
    const ok = join(dir, 'ok.json');
    writeFileSync(ok, '{"batchSize": 32}');
    expect(buildRunConfig({ path: ok, values: readConfigFile(ok) }, {})).toEqual({ ...DEFAULT_CONFIG, batchSize: 32 });
  });
});

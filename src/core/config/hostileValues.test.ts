// Hostile config values (issue 16, items 2 and 8): objects with toString/valueOf, getters that
// throw, arrays nested 10^5 deep, megabyte strings, non-decimal numerals, `__proto__` keys — through
// checkField / validateConfig, the URL decoder and maxSteps. Each gives a message that names the
// field, nothing throws, and every message stays short.
import { describe, expect, it } from 'vitest';
import { decodeConfig } from './urlCodec';
import { ConfigValueError } from './configValueError';
import { DEFAULT_CONFIG } from './runConfig';
import { checkField, fieldSpec, validateConfig } from './schema';
import { parseStepLimit } from './urlStepLimit';
import { UserError } from '../userError';

/** Longest message a single refused value may produce. */
const MAX_MESSAGE = 300;

function deepArray(depth: number): unknown {
  let a: unknown = [];
  for (let i = 0; i < depth; i++) a = [a];
  return a;
}
const throwingGetter = Object.defineProperty({}, 'x', { get: () => { throw new Error('boom'); }, enumerable: true });
const HUGE = 'x'.repeat(1 << 20);

/** Values of any type that a file or a caller could hand over. */
const HOSTILE_VALUES: Array<[string, unknown]> = [
  ['an object with toString', { toString: () => '12' }],
  ['an object whose toString throws', { toString: () => { throw new Error('boom'); } }],
  ['an object with valueOf', { valueOf: () => 12 }],
  ['an object with a throwing getter', throwingGetter],
  ['an array nested 10^5 deep', deepArray(100_000)],
  ['a revoked proxy', (() => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; })()],
  ['a 1 MiB string', HUGE],
  ['a boolean', true],
  ['null', null],
  ['a bigint', 10n],
  ['a symbol', Symbol('s')],
  ['a function', () => 12],
  ['NaN', NaN],
  ['Infinity', Infinity],
];

/** Strings as they come from a URL or --set. */
const HOSTILE_TEXTS = ['0x10', '0b101', '0o17', '1e308', '1e400', '-0', 'NaN', 'Infinity', '-Infinity', ' 12 ', '1_000', '١٢', '１２', '', ' ', '12abc', HUGE, `${'9'.repeat(5000)}`];

describe('checkField with hostile values', () => {
  for (const key of ['numViews', 'learningRate', 'hvpMode', 'dataset'] as const) {
    it(`${key}: every value is refused with a short message naming the field`, () => {
      const spec = fieldSpec(key);
      for (const [what, raw] of HOSTILE_VALUES) {
        const r = checkField(spec, raw);
        expect(r.issue, `${key} ← ${what}`).toBeDefined();
        expect(r.issue!.message.startsWith(spec.label)).toBe(true);
        expect(r.issue!.message.length).toBeLessThan(MAX_MESSAGE);
      }
    });
  }

  it('names what it got and the allowed range', () => {
    expect(checkField(fieldSpec('numViews'), { toString: () => '4' }).issue!.message).toBe('Views per image (N): got an object, expected a number in 2–8.');
    expect(checkField(fieldSpec('numViews'), deepArray(100_000)).issue!.message).toBe('Views per image (N): got an array, expected a number in 2–8.');
    expect(checkField(fieldSpec('hvpMode'), HUGE).issue!.message).toMatch(/^HVP mode: "x{40}…" \(1048576 characters\) is not one of off/);
  });

  it('reads numbers as plain decimals: no hex, binary, octal, Infinity or digit separators', () => {
    const numViews = fieldSpec('numViews');
    const msg = (t: string) => checkField(numViews, t).issue?.message;
    expect(msg('0x10')).toBe('Views per image (N): "0x10" is not a plain decimal number (hexadecimal, binary and octal forms are refused); allowed range 2–8.');
    expect(msg('0b101')).toMatch(/hexadecimal, binary and octal/);
    expect(msg('0o17')).toMatch(/hexadecimal, binary and octal/);
    expect(msg('Infinity')).toBe('Views per image (N): "Infinity" is not a finite number; allowed range 2–8.');
    expect(msg('1e400')).toMatch(/too large to be a number here; allowed range 2–8/);
    expect(msg('1e308')).toBe('Views per image (N): 1e+308 is out of range 2–8.');
    expect(msg('1_000')).toMatch(/"1_000" is not a number/);
    expect(msg('١٢')).toMatch(/is not a number/);
    expect(msg('')).toMatch(/"" is not a number/);
    expect(checkField(numViews, ' 4 ').value).toBe(4);
    expect(checkField(fieldSpec('learningRate'), '1e-3').value).toBe(0.001);
    expect(Object.is(checkField(fieldSpec('seed'), '-0').value, 0)).toBe(true);
    expect(Object.is(checkField(fieldSpec('seed'), -0).value, 0)).toBe(true);
    for (const t of HOSTILE_TEXTS) expect(checkField(numViews, t).issue?.message.length ?? 0).toBeLessThan(MAX_MESSAGE);
  });
});

describe('validateConfig with hostile input', () => {
  it('never throws and names each field', () => {
    const input: Record<string, unknown> = { batchSize: { toString: () => '32' }, seed: deepArray(100_000), method: HUGE };
    Object.defineProperty(input, 'numViews', { get: () => { throw new TypeError('boom'); }, enumerable: true });
    const r = validateConfig(input);
    expect(r.issues.map((i) => i.key).sort()).toEqual(['batchSize', 'method', 'numViews', 'seed']);
    expect(r.issues.find((i) => i.key === 'numViews')!.message).toBe('Views per image (N): its value could not be read.');
    expect(r.config).toEqual(DEFAULT_CONFIG);
    for (const i of r.issues) expect(i.message.length).toBeLessThan(MAX_MESSAGE);
  });

  it('refuses a non-object and folds many unknown keys (with __proto__ and long names) into one short issue', () => {
    expect(validateConfig(deepArray(100_000) as never).issues[0]!.message).toBe('The settings are an array, not an object of settings.');
    expect(validateConfig(HUGE as never).issues[0]!.message.length).toBeLessThan(MAX_MESSAGE);
    const parsed = JSON.parse(`{"__proto__": {"polluted": 1}, "constructor": 1, "${'k'.repeat(100_000)}": 1, ${Array.from({ length: 1000 }, (_, i) => `"u${i}": 1`).join(', ')}}`) as Record<string, unknown>;
    const r = validateConfig(parsed);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]!.message).toMatch(/^Unknown settings "__proto__", "constructor", "k{40}…" \(100000 characters\), "u0", "u1" and 998 more\.$/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('ConfigValueError is a UserError with its own name, a bounded message and the issues', () => {
    const issues = validateConfig(Object.fromEntries(Array.from({ length: 30 }, () => ['numViews', 99])) as never).issues;
    const e = new ConfigValueError([...issues, ...issues, ...issues, ...issues, ...issues, ...issues, ...issues, ...issues, ...issues, ...issues]);
    expect(e).toBeInstanceOf(UserError);
    expect(e.name).toBe('ConfigValueError');
    expect(e.message).toMatch(/…and 2 more\.$/);
    expect(e.hint).toMatch(/Fix the named settings/);
  });
});

describe('URL decoding with hostile values', () => {
  it('refuses non-decimal numerals and out-of-range values with the default, and warnings stay short', () => {
    const { config, warnings } = decodeConfig(`numViews=0x10&seed=0b101&batchSize=0o17&totalSteps=1e308&knnK=Infinity&learningRate=${HUGE}&${encodeURIComponent(HUGE)}=1`);
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(warnings).toHaveLength(7);
    expect(warnings[0]).toBe('Views per image (N): "0x10" is not a plain decimal number (hexadecimal, binary and octal forms are refused); allowed range 2–8. Using the default 4.');
    expect(warnings[3]).toBe('Total steps: 1e+308 is out of range 1–1000000. Using the default 2000.');
    for (const w of warnings) expect(w.length).toBeLessThan(MAX_MESSAGE);
  });

  it('ignores __proto__ and other prototype keys with a warning, changing nothing', () => {
    const { config, warnings } = decodeConfig('__proto__=1&constructor=2&toString=3&__proto__%5Bx%5D=4&hasOwnProperty=5');
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(warnings).toEqual(['__proto__', 'constructor', 'toString', '__proto__[x]', 'hasOwnProperty'].map((k) => `Unknown URL setting "${k}" was ignored.`));
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('bounds the number of warnings of a link with thousands of bad values', () => {
    const { warnings } = decodeConfig(Array.from({ length: 5000 }, (_, i) => `bad${i}=1&numViews=x${i}`).join('&'));
    expect(warnings).toHaveLength(12);
    expect(warnings[11]).toBe('…and 9989 more values of this link were not used.');
  });

  it('maxSteps: strict whole numbers ≥ 1; above the longest run it is clamped with a warning', () => {
    expect(parseStepLimit('20')).toEqual({ maxSteps: 20 });
    expect(parseStepLimit(' 20 ')).toEqual({ maxSteps: 20 });
    expect(parseStepLimit('1e308')).toEqual({ maxSteps: 1_000_000, warning: 'maxSteps="1e308" is above 1000000, the most steps a run can have; using 1000000.' });
    expect(parseStepLimit('0x10')).toEqual({ maxSteps: null, warning: 'maxSteps="0x10" is not a whole number ≥ 1 (not a plain decimal number (hexadecimal, binary and octal forms are refused)); the run goes to its total steps.' });
    expect(parseStepLimit('abc').warning).toBe('maxSteps="abc" is not a whole number ≥ 1; the run goes to its total steps.');
    for (const t of HOSTILE_TEXTS) {
      const r = parseStepLimit(t);
      if (r.warning) expect(r.warning.length).toBeLessThan(MAX_MESSAGE);
    }
    expect(parseStepLimit('0b101').maxSteps).toBeNull();
    expect(parseStepLimit('2.5').maxSteps).toBeNull();
  });
});

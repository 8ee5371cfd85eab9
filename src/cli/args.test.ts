// Command-line parsing: options in both spellings, repeatable --set, help and version shortcuts, and
// a UsageError (exit 2) naming the problem for unknown commands/options, missing values and extra arguments.
import { describe, expect, it } from 'vitest';
import { choiceOption, intOption, parseArgs } from './args';
import { EXIT_USAGE, UsageError } from './cliError';

describe('parseArgs', () => {
  it('reads positionals, --name value, --name=value, flags and repeated lists', () => {
    const a = parseArgs(['resume', 'run.safetensors', '--steps=40', '--out', 'b.safetensors', '--json']);
    expect(a.command).toBe('resume');
    expect(a.positionals).toEqual(['run.safetensors']);
    expect(Object.fromEntries(a.values)).toEqual({ steps: '40', out: 'b.safetensors', json: 'true' });
    const t = parseArgs(['train', '--set', 'batchSize=8', '--set=hvpMode=off']);
    expect(t.lists.get('set')).toEqual(['batchSize=8', 'hvpMode=off']);
  });

  it('maps no arguments, --help and --version to the help command', () => {
    expect(parseArgs([]).command).toBe('help');
    expect(parseArgs(['train', '--steps', '3', '--help'])).toMatchObject({ command: 'help', positionals: ['train'] });
    expect(parseArgs(['--version'])).toMatchObject({ command: 'help', positionals: ['--version'] });
  });

  it.each([
    [['fly'], /Unknown command "fly"/],
    [['--steps', '3'], /Unknown command "--steps".*Put the command first/],
    [['train', '--bogus'], /Unknown option --bogus for "train"/],
    [['train', '--steps'], /Option --steps needs a value \(N\)/],
    [['train', '--steps', '--json'], /Option --steps needs a value/],
    [['train', '--json=yes'], /Option --json takes no value/],
    [['train', '--out', 'a', '--out', 'b'], /Option --out was given twice \("a" and "b"\)/],
    [['resume'], /"resume" needs CHECKPOINT \(none given\)/],
    [['info', 'a', 'b'], /"info" got unexpected argument\(s\): "b"/],
    [['train', 'extra'], /"train" got unexpected argument\(s\): "extra".*no positional arguments/],
  ])('%j → UsageError', (argv, message) => {
    let caught: unknown;
    try {
      parseArgs(argv);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).exitCode).toBe(EXIT_USAGE);
    expect(`${(caught as UsageError).message} ${(caught as UsageError).hint}`).toMatch(message);
  });
});

describe('typed option readers', () => {
  it('intOption checks whole numbers and the range, and falls back when absent', () => {
    expect(intOption(parseArgs(['train', '--steps', '12']), 'steps', 1, 100, 5)).toBe(12);
    expect(intOption(parseArgs(['train']), 'steps', 1, 100, 5)).toBe(5);
    for (const bad of ['0', '101', '2.5', 'x', '']) {
      expect(() => intOption(parseArgs(['train', `--steps=${bad}`]), 'steps', 1, 100, 5)).toThrow(`--steps must be a whole number from 1 to 100, got "${bad}"`);
    }
  });

  it('choiceOption accepts only the listed values', () => {
    expect(choiceOption(parseArgs(['eval', 'c', '--backend', 'cpu']), 'backend', ['auto', 'webgpu', 'cpu'], 'auto')).toBe('cpu');
    expect(() => choiceOption(parseArgs(['eval', 'c', '--backend', 'gpu']), 'backend', ['auto', 'webgpu', 'cpu'], 'auto')).toThrow('--backend must be one of auto, webgpu, cpu, got "gpu"');
  });
});

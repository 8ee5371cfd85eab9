// The train config: defaults ← JSON file ← --set, validated by the schema; every refused value names
// its key, where it came from and the allowed range (UsageError, exit 2).
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config/runConfig';
import { EXIT_USAGE, UsageError } from './cliError';
import { buildRunConfig, parseSets, readConfigFile } from './configInput';

const fileOf = (text: string) => () => text;
const thrown = (fn: () => unknown): UsageError => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error('expected a UsageError');
};

describe('buildRunConfig', () => {
  it('applies the file over the defaults and --set over the file, converting numbers', () => {
    const file = { path: 'c.json', values: readConfigFile('c.json', fileOf('{"batchSize": 32, "hvpMode": "random", "seed": 4}')) };
    const c = buildRunConfig(file, parseSets(['batchSize=16', 'learningRate=0.01']));
    expect(c).toEqual({ ...DEFAULT_CONFIG, batchSize: 16, hvpMode: 'random', seed: 4, learningRate: 0.01 });
  });

  it('names key, origin, value and range of every refused value', () => {
    const file = { path: 'c.json', values: readConfigFile('c.json', fileOf('{"numViews": 12}')) };
    const e = thrown(() => buildRunConfig(file, parseSets(['batchSize=600', 'hvpMode=hardest'])));
    expect(e.exitCode).toBe(EXIT_USAGE);
    expect(e.message).toContain('numViews=12 (from c.json): Views per image (N): 12 is out of range 2–8.');
    expect(e.message).toContain('batchSize=600 (from --set): Batch size (M): 600 is out of range 2–512.');
    expect(e.message).toMatch(/hvpMode=hardest \(from --set\): HVP mode: "hardest" is not one of off, hard, easy, random, iouPolicy\./);
    expect(e.hint).toMatch(/help settings/);
  });

  it('reports cross-field rules and refuses imported datasets', () => {
    expect(thrown(() => buildRunConfig(null, parseSets(['numTrainImages=32']))).message).toContain('batchSize=64 (from the defaults): Batch size (64) must not exceed the number of training images (32).');
    expect(thrown(() => buildRunConfig(null, parseSets(['dataset=stored:cifar']))).message).toMatch(/dataset=stored:cifar: the CLI names a run's imported set itself, from the files given with --data/);
  });
});

describe('config sources', () => {
  it('refuses malformed --set pairs and unknown keys', () => {
    expect(thrown(() => parseSets(['batchSize'])).message).toBe('--set "batchSize" is not KEY=VALUE.');
    expect(thrown(() => parseSets(['batchsize=3'])).message).toBe('--set batchsize=3: unknown setting "batchsize".');
  });

  it('refuses unreadable, non-JSON, non-object files and unknown keys, naming the file', () => {
    const enoent = () => {
      throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    };
    expect(thrown(() => readConfigFile('a.json', enoent)).message).toBe('The config file a.json does not exist.');
    expect(thrown(() => readConfigFile('a.json', fileOf('{batchSize: 3}'))).message).toMatch(/^The config file a\.json is not valid JSON/);
    expect(thrown(() => readConfigFile('a.json', fileOf('[1]'))).message).toBe('The config file a.json holds an array, not an object of settings.');
    expect(thrown(() => readConfigFile('a.json', fileOf('{"lr": 1}'))).message).toBe('The config file a.json has unknown setting(s): "lr".');
  });
});

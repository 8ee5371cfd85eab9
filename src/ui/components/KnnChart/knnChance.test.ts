// knnChance: the class count of the built-in and stored sets, and the chance line it gives.
import { describe, expect, it } from 'vitest';
import { NUM_SHAPE_CLASSES } from '../../../core/data/builtinShapes';
import type { StoredDatasetMeta } from '../../../worker/datasetProtocol';
import { BUILTIN_NUM_CLASSES, chanceReferences, numDatasetClasses } from './knnChance';

const meta = (id: string, over: Partial<StoredDatasetMeta> = {}) => ({
  id, name: `set-${id}`, classNames: ['a', 'b', 'c', 'd'], isLabelled: true, ...over,
}) as StoredDatasetMeta;

describe('numDatasetClasses', () => {
  it('knows the built-in set has the shapes classes', () => {
    expect(BUILTIN_NUM_CLASSES).toBe(NUM_SHAPE_CLASSES);
    expect(numDatasetClasses('builtin', null)).toBe(NUM_SHAPE_CLASSES);
  });

  it('counts a stored set’s classes; unknown, unlabelled or one-class sets have none', () => {
    const list = [meta('four'), meta('unlabelled', { isLabelled: false, classNames: [] }), meta('one', { classNames: ['only'] })];
    expect(numDatasetClasses('stored:four', list)).toBe(4);
    expect(numDatasetClasses('stored:unlabelled', list)).toBeNull();
    expect(numDatasetClasses('stored:one', list)).toBeNull();
    expect(numDatasetClasses('stored:missing', list)).toBeNull();
    expect(numDatasetClasses('stored:four', null)).toBeNull();
  });
});

describe('chanceReferences', () => {
  it('draws 1 / classes in percent with a label saying so', () => {
    expect(chanceReferences(10)).toEqual([{ y: 10, label: 'chance 1/10 = 10 %', color: '#5a6472' }]);
    expect(chanceReferences(6)[0]!.label).toBe('chance 1/6 = 16.7 %');
    expect(chanceReferences(null)).toEqual([]);
  });
});

// Store tests of the dataset slice (vanilla zustand, no React): an import's progress and report,
// selection of the new set, failures that change nothing, deletes, and what blocks Start.
import { describe, expect, it } from 'vitest';
import type { StoredDatasetMeta } from '../../worker/datasetProtocol';
import { createAppStore } from './appStore';
import { datasetChoices, datasetLabelInfo, selectDatasetBlockedReason } from './datasetSelectors';
import { selectControls } from './selectors';

const meta = (id: string, over: Partial<StoredDatasetMeta> = {}): StoredDatasetMeta => ({
  id, name: `set-${id}`, format: 'image-folder', source: `${id}/ (4 files)`, numImages: 40, classNames: ['a', 'b'], isLabelled: true,
  imageSize: 16, numBytes: 40 * 768 + 160, numSourceTest: 0, numSkipped: 0, warnings: [], createdAt: 1, imagesPerChunk: 40, numChunks: 1, ...over,
});

function ready() {
  const store = createAppStore();
  store.getState().applyDatasetMessage({ type: 'datasets', id: 1, datasets: [meta('old')], storage: { usage: 1000, quota: 10_000 } });
  return store;
}

describe('dataset slice', () => {
  it('tracks an import from progress to report and selects the new set', () => {
    const store = ready();
    store.getState().beginDatasetImport(5, 'pets/ (4 files)');
    store.getState().applyDatasetMessage({ type: 'progress', id: 5, stage: 'Decoding images', fraction: 0.4 });
    store.getState().applyDatasetMessage({ type: 'progress', id: 99, stage: 'other import', fraction: 0.9 });
    expect(store.getState().datasetImport).toEqual({ requestId: 5, source: 'pets/ (4 files)', stage: 'Decoding images', fraction: 0.4 });

    const skipped = [{ path: 'pets/readme.txt', reason: 'is not an image' }];
    store.getState().applyDatasetMessage({ type: 'imported', id: 5, meta: meta('new'), skipped, warnings: [], elapsedMs: 1200, isDuplicate: false, renamedFrom: null });
    const s = store.getState();
    expect(s.datasetImport).toBeNull();
    expect(s.storedDatasets!.map((d) => d.id)).toEqual(['new', 'old']);
    expect(s.config.dataset).toBe('stored:new');
    expect(s.datasetReport).toMatchObject({ kind: 'imported', isSelected: true, skipped });
  });

  it('selects the stored set an import duplicates, keeping the list as it was, and reports a renamed set', () => {
    const store = ready();
    store.getState().applyDatasetMessage({ type: 'datasets', id: 2, datasets: [meta('b'), meta('toys', { name: 'toys' })], storage: null });
    store.getState().beginDatasetImport(8, 'toys/ (4 files)');
    store.getState().applyDatasetMessage({ type: 'imported', id: 8, meta: meta('toys', { name: 'toys' }), skipped: [], warnings: [], elapsedMs: 5, isDuplicate: true, renamedFrom: null });
    let s = store.getState();
    expect(s.config.dataset).toBe('stored:toys');
    expect(s.storedDatasets!.map((d) => d.id)).toEqual(['b', 'toys']);
    expect(s.datasetReport).toMatchObject({ kind: 'imported', isDuplicate: true, isSelected: true, renamedFrom: null });

    store.getState().beginDatasetImport(9, 'toys/ (5 files)');
    store.getState().applyDatasetMessage({ type: 'imported', id: 9, meta: meta('toys2', { name: 'toys (2)' }), skipped: [], warnings: [], elapsedMs: 5, isDuplicate: false, renamedFrom: 'toys' });
    s = store.getState();
    expect(s.config.dataset).toBe('stored:toys2');
    expect(s.storedDatasets!.map((d) => d.id)).toEqual(['toys2', 'b', 'toys']);
    expect(s.datasetReport).toMatchObject({ kind: 'imported', isDuplicate: false, renamedFrom: 'toys' });
  });

  it('keeps the selection and the list when an import fails', () => {
    const store = ready();
    store.getState().setField('dataset', 'stored:old');
    store.getState().beginDatasetImport(6, 'broken.tar.gz');
    store.getState().applyDatasetMessage({
      type: 'importFailed', id: 6, error: { name: 'DatasetImportError', message: 'broken.tar.gz: the gzip data is corrupt' },
      hint: 'Fix or remove the files named above and import again.', skipped: [{ path: 'broken.tar.gz', reason: 'corrupt gzip' }],
    });
    const s = store.getState();
    expect(s.config.dataset).toBe('stored:old');
    expect(s.storedDatasets!.map((d) => d.id)).toEqual(['old']);
    expect(s.datasetImport).toBeNull();
    expect(s.datasetReport).toMatchObject({ kind: 'failed', source: 'broken.tar.gz', message: 'broken.tar.gz: the gzip data is corrupt' });
  });

  it('a later successful import replaces the failed import\'s red report', () => {
    const store = ready();
    store.getState().beginDatasetImport(6, 'broken.tar.gz');
    store.getState().applyDatasetMessage({ type: 'importFailed', id: 6, error: { name: 'DatasetImportError', message: 'corrupt' }, hint: 'h', skipped: [] });
    expect(store.getState().datasetReport?.kind).toBe('failed');
    store.getState().beginDatasetImport(7, 'pets/ (4 files)');
    expect(store.getState().datasetReport).toBeNull();
    store.getState().applyDatasetMessage({ type: 'imported', id: 7, meta: meta('new'), skipped: [], warnings: [], elapsedMs: 10, isDuplicate: false, renamedFrom: null });
    expect(store.getState().datasetReport?.kind).toBe('imported');
  });

  it('does not switch the dataset while a run holds the config', () => {
    const store = ready();
    store.getState().applyWorkerMessage({ type: 'state', state: 'running', step: 3 });
    store.getState().beginDatasetImport(7, 'x.zip');
    store.getState().applyDatasetMessage({ type: 'imported', id: 7, meta: meta('new'), skipped: [], warnings: [], elapsedMs: 10, isDuplicate: false, renamedFrom: null });
    expect(store.getState().config.dataset).toBe('builtin');
    expect(store.getState().datasetReport).toMatchObject({ kind: 'imported', isSelected: false });
  });

  it('falls back to the built-in set when the selected set is deleted', () => {
    const store = ready();
    store.getState().setField('dataset', 'stored:old');
    store.getState().noteDatasetDelete('old');
    expect(store.getState().deletingDatasetIds).toEqual(['old']);
    store.getState().applyDatasetMessage({ type: 'deleted', id: 8, datasetId: 'old', existed: true });
    expect(store.getState().config.dataset).toBe('builtin');
    expect(store.getState().storedDatasets).toEqual([]);
    expect(store.getState().deletingDatasetIds).toEqual([]);
  });

  it('ends an import when the dataset worker crashes and reports it', () => {
    const store = ready();
    store.getState().beginDatasetImport(9, 'big.zip');
    store.getState().applyDatasetMessage({ type: 'error', id: null, error: { name: 'DatasetWorkerCrashError', message: 'The dataset worker crashed: x.' }, hint: 'Try again.' });
    expect(store.getState().datasetImport).toBeNull();
    expect(store.getState().datasetReport).toMatchObject({ kind: 'error', name: 'DatasetWorkerCrashError' });
  });
});

describe('dataset selectors', () => {
  it('blocks Start while a stored selection is unknown or missing, with the reason', () => {
    const store = createAppStore();
    expect(store.getState().setField('dataset', 'stored:abc')).toBe(true);
    expect(selectControls(store.getState())).toMatchObject({ canStart: false, startBlockedReason: 'Reading the stored datasets…' });
    store.getState().applyDatasetMessage({ type: 'datasets', id: 1, datasets: [meta('zzz')], storage: null });
    expect(selectControls(store.getState()).startBlockedReason).toMatch(/stored:abc\) is not stored in this browser/);
    store.getState().applyDatasetMessage({ type: 'datasets', id: null, datasets: [meta('abc')], storage: null });
    expect(selectControls(store.getState())).toMatchObject({ canStart: true, startBlockedReason: null });
  });

  it('names a storage failure as the reason', () => {
    const s = { config: { dataset: 'stored:abc' as const }, storedDatasets: null, datasetListError: 'IndexedDB is blocked.' };
    expect(selectDatasetBlockedReason(s)).toBe('The selected dataset cannot be read: IndexedDB is blocked.');
    expect(selectDatasetBlockedReason({ ...s, config: { dataset: 'builtin' } })).toBeNull();
  });

  it('refuses malformed dataset references in the config', () => {
    const store = createAppStore();
    expect(store.getState().setField('dataset', 'stored:')).toBe(false);
    expect(store.getState().setField('dataset', 'http://x')).toBe(false);
    expect(store.getState().fieldIssues.dataset).toMatch(/neither builtin nor stored:<id>/);
  });

  it('lists choices, keeping a missing current value visible', () => {
    expect(datasetChoices('builtin', [meta('a')]).map((c) => c.value)).toEqual(['builtin', 'stored:a']);
    expect(datasetChoices('stored:gone', []).at(-1)).toEqual({ value: 'stored:gone', label: 'stored:gone (not in this browser)' });
    expect(datasetChoices('stored:x', null).at(-1)!.label).toMatch(/loading/);
  });

  it('says why kNN is hidden for unlabelled and single-class sets', () => {
    const list = [meta('u', { isLabelled: false, classNames: [] }), meta('one', { classNames: ['cats'] }), meta('two')];
    expect(datasetLabelInfo('builtin', list).hasUsableLabels).toBe(true);
    expect(datasetLabelInfo('stored:two', list).hasUsableLabels).toBe(true);
    expect(datasetLabelInfo('stored:u', list).reason).toMatch(/“set-u” has no class labels/);
    expect(datasetLabelInfo('stored:one', list).reason).toMatch(/single class \(cats\)/);
  });
});

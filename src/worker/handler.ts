/**
 * The worker's message handler, built from injected dependencies so it runs in Node tests with
 * a fake `post` and no Worker: start (backend → dataset → trainer → run loop), pause, resume,
 * stop, evaluate, explain the next step (paused runs only), and checkpoints (export, load as a paused run, autosave, list/delete autosaves).
 * Twin runs (twinRun.ts) have their own trainers: while one is active the single run cannot start,
 * resume, explain a step or load a checkpoint, and a twin cannot start while the single run runs.
 * Every failure becomes an `error` message with a hint; the UI keeps its data, and a checkpoint that
 * cannot be loaded leaves the current run untouched. A checkpoint of a stored set that is not in this
 * browser (a run trained by the CLI or PyTorch on the same files) is matched by content with
 * `findDataset`; the run then names the stored set found, and `loaded.notes` says so.
 * Must not import: ui/, DOM.
 */
import { decodeCheckpoint, type LoadedCheckpoint } from '../core/checkpoint/checkpointFile';
import { CheckpointFormatError } from '../core/checkpoint/checkpointFormatError';
import { storedDatasetId, type BackendName, type RunConfig } from '../core/config/runConfig';
import { validateConfig } from '../core/config/schema';
import { fingerprintDataset, fingerprintMismatch, type DatasetFingerprint } from '../core/data/fingerprint';
import type { Dataset } from '../core/data/types';
import { runOfflineProbe } from '../core/train/evaluateEmbeddings';
import { createRunLoop, type LoopState, type RunEvent } from '../core/train/runLoop';
import { nextMacrotask } from '../core/timing';
import type { Trainer } from '../core/train/trainer';
import type { TrainerSnapshot } from '../core/train/trainerState';
import type { AutosaveStore } from './autosaveStore';
import { CheckpointDatasetMissingError, findCheckpointDataset } from './checkpointDataset';
import { DatasetNotFoundError } from './datasetCache';
import { OFFLINE_PROBE_STAGE, PROTOCOL_VERSION, serializeError, type BackendInfo, type CheckpointSource, type FromWorker, type ToWorker } from './protocol';
import type { FoundDataset } from './runDataset';
import { autosaveInfo, buildBackboneExport, buildCheckpoint, exactBuffer, newRunId, nonFiniteTensors, type RunSession } from './runCheckpoints';
import { createTwinRunner } from './twinRun';

/** What the handler needs from its environment. */
export interface HandlerDeps {
  /** Posts a message; `transfer` lists ArrayBuffers handed over without a copy. */
  post: (msg: FromWorker, transfer?: Transferable[]) => void;
  initBackend: (preferred: BackendName, onGpuFault: (message: string) => void) => Promise<BackendInfo>;
  makeDataset: (config: RunConfig, onProgress: (fraction: number) => void) => Dataset | Promise<Dataset>;
  makeTrainer: (config: RunConfig, dataset: Dataset, resumeFrom?: TrainerSnapshot) => Trainer;
  /** A stored set whose run Dataset (built with `config`) has `fingerprint`, or null; none → a
   * checkpoint of a set that is not in this browser is refused (runDataset.ts findByFingerprint). */
  findDataset?: (config: RunConfig, fingerprint: DatasetFingerprint, onProgress: (fraction: number) => void) => Promise<FoundDataset | null>;
  /** Where autosaves go; none → autosave is off and the UI is told so when it asks. */
  autosaves?: AutosaveStore;
  yieldToEvents?: () => Promise<void>;
}

const datasetKey = (c: RunConfig) => `${c.dataset}:${c.datasetSeed}:${c.numTrainImages}:${c.numTestImages}`;
/** The hint an error brings along (dataset errors say which setting to change), else `fallback`. */
const hintOf = (e: unknown, fallback: string): string => (e instanceof Error && 'hint' in e && typeof e.hint === 'string' ? e.hint : fallback);
const ACTIVE: readonly LoopState[] = ['running', 'paused'];

/** Builds the handler and posts `ready`. */
export function createHandler(deps: HandlerDeps): (msg: ToWorker) => void {
  const { post } = deps;
  let backend: BackendInfo | null = null;
  let dataset: { key: string; value: Dataset; fingerprint: DatasetFingerprint } | null = null;
  let session: RunSession | null = null;
  let running: Promise<void> | null = null;
  let isPreparing = false;
  /** Step of the last autosave of the current session (no duplicate saves on pause/stop). */
  let lastAutosaveStep = -1;

  const fail = (e: unknown, hint: string, id?: number) => post({ type: 'error', id, error: serializeError(e), isFatal: true, hint });
  const warn = (e: unknown, hint: string, id?: number) => post({ type: 'error', id, error: serializeError(e), isFatal: false, hint });
  const onGpuFault = (message: string) => {
    session?.loop.stop();
    post({ type: 'error', error: { name: 'GpuFaultError', message }, isFatal: true, hint: 'Reload the page to get a fresh GPU device; the last autosave is offered then. If it happens again, use a smaller batch size, backbone width or view size.' });
  };
  const forward = (e: RunEvent) => {
    switch (e.type) {
      case 'state':
        if (e.state === 'paused' || e.state === 'stopped' || e.state === 'done') void autosave('on ' + e.state);
        return post({ type: 'state', state: e.state, step: e.step, message: e.message });
      case 'metrics': return post({ type: 'metrics', metrics: e.metrics });
      case 'knn': return post({ type: 'knn', knn: e.knn });
      case 'evaluation': return post({ type: 'evaluation', evaluation: e.evaluation });
      case 'probe': return post({ type: 'probe', probe: e.probe });
      case 'done': return post({ type: 'done', step: e.step });
      case 'error': return post({ type: 'error', error: serializeError(e.error), isFatal: e.isFatal, hint: e.hint });
    }
  };
  const isRunActive = () => isPreparing || (session !== null && ACTIVE.includes(session.loop.state) && running !== null);

  /** Initialises the backend once per preference; re-initialises if the preference changes. */
  let backendPreference: BackendName | null = null;
  async function ensureBackend(preferred: BackendName): Promise<BackendInfo> {
    if (!backend || backendPreference !== preferred) {
      backendPreference = preferred;
      backend = await deps.initBackend(preferred, onGpuFault);
      post({ type: 'backend', backend });
    }
    return backend;
  }

  async function ensureDataset(config: RunConfig): Promise<{ value: Dataset; fingerprint: DatasetFingerprint }> {
    if (!dataset || dataset.key !== datasetKey(config)) {
      const stage = config.dataset === 'builtin' ? 'Generating the built-in dataset' : 'Loading the stored dataset';
      post({ type: 'progress', stage, fraction: 0 });
      const value = await deps.makeDataset(config, (f) => post({ type: 'progress', stage, fraction: f }));
      dataset = { key: datasetKey(config), value, fingerprint: fingerprintDataset(value) };
      post({ type: 'progress', stage, fraction: 1 });
    }
    return dataset;
  }

  /**
   * Saves the session's checkpoint to browser storage unless this step is already saved.
   * `isLoopHook`: called by the loop between steps (it holds the step lock already).
   */
  async function autosave(reason: string, isLoopHook = false): Promise<void> {
    const s = session;
    if (!s || !deps.autosaves || s.config.autosaveEvery === 0) return;
    const between = <T,>(fn: () => Promise<T>) => (isLoopHook ? fn() : s.loop.betweenSteps(fn));
    await between(async () => {
      if (s !== session || s.trainer.step === lastAutosaveStep || s.trainer.step === 0) return;
      const { bytes, step, snapshot } = await buildCheckpoint(s);
      const bad = nonFiniteTensors(snapshot);
      if (bad.length) {
        post({ type: 'log', level: 'warn', message: `Autosave ${reason} skipped at step ${step}: ${bad.length} weight tensor(s) hold NaN or Infinity (e.g. ${bad[0]}); the previous autosave is kept.` });
        return;
      }
      await deps.autosaves!.put(autosaveInfo(s, step, bytes.byteLength), bytes);
      lastAutosaveStep = step;
      post({ type: 'autosaves', entries: await deps.autosaves!.list() });
    }).catch((e) => warn(e, 'Autosave failed; training goes on. Export a checkpoint by hand, or free browser storage.'));
  }

  /** Makes `trainer` the session and runs its loop (paused first for a loaded checkpoint). */
  function runSession(s: Omit<RunSession, 'loop'>, opts: { maxSteps?: number; loaded?: LoadedCheckpoint }): Promise<void> {
    const loop = createRunLoop({
      trainer: s.trainer,
      emit: forward,
      maxSteps: opts.maxSteps,
      yieldToEvents: deps.yieldToEvents,
      history: opts.loaded ? structuredClone(opts.loaded.record.history) : undefined,
      probeRngState: opts.loaded?.record.probeRng,
      isStartPaused: Boolean(opts.loaded),
      checkpointEvery: s.config.autosaveEvery,
      onCheckpointDue: () => autosave(`at step ${s.trainer.step}`, true),
    });
    session?.trainer.dispose();
    session = { ...s, loop };
    lastAutosaveStep = opts.loaded ? opts.loaded.record.progress.step : -1;
    running = loop.run().finally(() => {
      running = null;
    });
    return running;
  }

  // The twin run: refused while the single run runs or prepares; a paused single run stays paused, untouched.
  const twin = createTwinRunner({
    post,
    prepare: async (config) => {
      if (session && backend && config.backend !== backendPreference) {
        throw Object.assign(new Error(`The twin run would switch the backend to ${config.backend} under the kept single run (on ${backend.name}).`), {
          hint: `Set the preferred backend back to ${backendPreference}, or start the twin run after a page reload.`,
        });
      }
      await ensureBackend(config.backend);
      return (await ensureDataset(config)).value;
    },
    makeTrainer: (config, ds) => deps.makeTrainer(config, ds),
    blockedReason: () => (isPreparing || (session?.loop.state === 'running' && running !== null) ? 'The single run is running, so the twin run was not started.' : null),
    yieldToEvents: deps.yieldToEvents,
  });
  const TWIN_HINT = 'Stop the twin run first (Twin run panel); its curves stay in that panel.';

  async function start(id: number, config: RunConfig, maxSteps?: number): Promise<void> {
    const { issues } = validateConfig(config);
    if (issues.length > 0) return fail(new RangeError(issues.map((i) => i.message).join(' ')), 'Fix the highlighted settings and start again.', id);
    if (twin.isActive) return warn(new Error('A twin run is in progress, so the single run was not started.'), TWIN_HINT, id);
    if (isRunActive()) return fail(new Error('A run is already in progress.'), 'Stop the current run before starting a new one.', id);
    post({ type: 'ack', id });
    post({ type: 'state', state: 'preparing', step: 0, message: 'initialising the backend' });
    isPreparing = true;
    let trainer: Trainer;
    let ds: { value: Dataset; fingerprint: DatasetFingerprint };
    let info: BackendInfo;
    try {
      info = await ensureBackend(config.backend);
      ds = await ensureDataset(config);
      post({ type: 'state', state: 'preparing', step: 0, message: 'building the model' });
      session?.trainer.dispose();
      session = null;
      trainer = deps.makeTrainer(config, ds.value);
    } catch (e) {
      post({ type: 'state', state: 'failed', step: 0, message: e instanceof Error ? e.message : String(e) });
      return fail(e, hintOf(e, 'The run could not be prepared. Reload the page; if it persists, try a smaller configuration or another backend.'));
    } finally {
      isPreparing = false;
    }
    await runSession({ runId: newRunId(), config, trainer, dataset: ds.fingerprint, backendName: info.name }, { maxSteps });
  }

  async function exportCheckpoint(id: number): Promise<void> {
    const s = session;
    if (!s) return fail(new Error('Nothing to export: no run has been started or loaded.'), 'Start a run (or load a checkpoint) first.', id);
    post({ type: 'ack', id });
    const stage = 'Exporting the checkpoint';
    post({ type: 'progress', stage, fraction: 0 });
    try {
      const { bytes, step, name } = await s.loop.betweenSteps(() => buildCheckpoint(s, (f) => post({ type: 'progress', stage, fraction: Math.min(0.99, f) })));
      const buffer = exactBuffer(bytes);
      post({ type: 'exported', id, kind: 'checkpoint', step, files: [{ name, bytes: buffer, mimeType: 'application/octet-stream' }] }, [buffer]);
    } catch (e) {
      warn(e, 'The export failed; the run is unaffected. Try again, or pause the run first.', id);
    } finally {
      post({ type: 'progress', stage, fraction: 1 });
    }
  }

  async function exportBackbone(id: number): Promise<void> {
    const s = session;
    if (!s) return fail(new Error('Nothing to export: no run has been started or loaded.'), 'Start a run (or load a checkpoint) first.', id);
    post({ type: 'ack', id });
    try {
      const { step, files } = await s.loop.betweenSteps(() => buildBackboneExport(s));
      post({ type: 'exported', id, kind: 'backbone', step, files }, files.map((f) => f.bytes));
    } catch (e) {
      warn(e, hintOf(e, 'The export failed; the run is unaffected.'), id); // e.g. UnsupportedExportError (ViT): "export the checkpoint instead"
    }
  }

  /** Offline linear probe: embeds between steps, trains in chunks while the run goes on. */
  let isProbing = false;
  async function offlineProbe(id: number): Promise<void> {
    const s = session;
    if (!s) return fail(new Error('Nothing to probe: no run has been started or loaded.'), 'Start a run (or load a checkpoint) first.', id);
    if (isProbing) return warn(new Error('A linear probe is already training.'), 'Wait for its result; it shows in the linear-probe panel.', id);
    isProbing = true;
    post({ type: 'ack', id });
    const stage = OFFLINE_PROBE_STAGE;
    try {
      const result = await runOfflineProbe(s.trainer, {
        exclusive: (fn) => s.loop.betweenSteps(fn),
        yieldToEvents: deps.yieldToEvents ?? nextMacrotask,
        onProgress: (f) => post({ type: 'progress', stage, fraction: f }),
        isCancelled: () => session !== s,
      });
      post({ type: 'offlineProbe', id, result });
    } catch (e) {
      warn(e, hintOf(e, 'The linear probe failed; training is unaffected. Try again.'), id);
    } finally {
      isProbing = false;
      post({ type: 'progress', stage, fraction: 1 });
    }
  }

  async function readSource(source: CheckpointSource): Promise<{ bytes: Uint8Array; name: string }> {
    if (source.kind === 'file') return { bytes: new Uint8Array(source.bytes), name: source.name };
    if (!deps.autosaves) throw new Error('Autosaves are not available in this browser.');
    const bytes = await deps.autosaves.get(source.runId);
    if (!bytes) throw new Error(`The autosave "${source.runId}" no longer exists (it may have been replaced by a newer run's autosave).`);
    return { bytes, name: `autosave of ${source.runId}` };
  }

  /**
   * The dataset of a checkpoint's config: its stored set, or — when that id is not in this browser —
   * the stored set whose images give the checkpoint's fingerprint, with the config naming it and a
   * note saying so. Throws CheckpointDatasetMissingError naming what to import.
   */
  async function checkpointDataset(loaded: LoadedCheckpoint, name: string): Promise<{ config: RunConfig; ds: { value: Dataset; fingerprint: DatasetFingerprint }; notes: string[] }> {
    const { config, dataset: saved } = loaded.record;
    try {
      return { config, ds: await ensureDataset(config), notes: loaded.notes };
    } catch (e) {
      const oldId = storedDatasetId(config.dataset);
      if (!(e instanceof DatasetNotFoundError) || oldId === null) throw e;
    }
    const stage = 'Looking for the checkpoint\'s dataset among the stored sets';
    post({ type: 'progress', stage, fraction: 0 });
    const found = await findCheckpointDataset({ config, saved, name, findDataset: deps.findDataset, onProgress: (f) => post({ type: 'progress', stage, fraction: f }) })
      .finally(() => post({ type: 'progress', stage, fraction: 1 }));
    dataset = { key: datasetKey(found.config), value: found.dataset, fingerprint: fingerprintDataset(found.dataset) };
    return { config: found.config, ds: dataset, notes: [...loaded.notes, found.note] };
  }

  async function loadCheckpoint(id: number, source: CheckpointSource, maxSteps?: number): Promise<void> {
    if (twin.isActive) return warn(new Error('A twin run is in progress, so no checkpoint was loaded.'), TWIN_HINT, id);
    if (isRunActive()) return warn(new Error('A run is in progress, so no checkpoint was loaded; the run is untouched.'), 'Stop the current run first, then load the checkpoint.', id);
    isPreparing = true;
    let loaded: LoadedCheckpoint;
    let trainer: Trainer;
    let ds: { value: Dataset; fingerprint: DatasetFingerprint };
    let config: RunConfig;
    let notes: string[];
    let info: BackendInfo;
    let name = source.kind === 'file' ? source.name : 'autosave';
    // Each stage says what is happening (the CheckpointPanel shows stages naming the checkpoint).
    const stage = (what: string, fraction: number) => post({ type: 'progress', stage: `Loading the checkpoint: ${what}`, fraction });
    try {
      stage('reading and checking the file', 0.05);
      const read = await readSource(source);
      name = read.name;
      loaded = decodeCheckpoint(read.bytes, name);
      stage('starting the compute backend', 0.2);
      info = await ensureBackend(loaded.record.config.backend);
      stage('preparing its dataset', 0.3);
      ({ config, ds, notes } = await checkpointDataset(loaded, name));
      const mismatch = fingerprintMismatch(loaded.record.dataset, ds.fingerprint);
      if (mismatch) throw new Error(mismatch);
      stage('building the model and optimizer', 0.8);
      trainer = deps.makeTrainer(config, ds.value, loaded.snapshot);
    } catch (e) {
      stage('failed', 1);
      // A file error already says what to do (checkpointFormatError.ts); the hint only adds that nothing changed.
      const hint = e instanceof CheckpointDatasetMissingError ? e.hint
        : e instanceof CheckpointFormatError ? `${name} was not loaded; nothing was changed.`
          : `${name} was not loaded; nothing was changed. Choose a checkpoint exported by HVP Playground for this dataset.`;
      return warn(e, hint, id);
    } finally {
      isPreparing = false;
    }
    stage('done', 1);
    post({ type: 'ack', id });
    post({ type: 'loaded', id, config, step: loaded.record.progress.step, history: loaded.record.history, notes, sourceName: name });
    const runId = source.kind === 'autosave' ? source.runId : newRunId();
    await runSession({ runId, config, trainer, dataset: ds.fingerprint, backendName: info.name }, { maxSteps, loaded });
  }

  /** Images of the batch an explained step shows (stages 1–3). */
  const EXPLAIN_NUM_SHOWN = 4;
  async function explainStep(id: number): Promise<void> {
    const s = session;
    if (!s) return fail(new Error('Nothing to explain: no run has been started or loaded.'), 'Start a run (or load a checkpoint), pause it, then explain the next step.', id);
    if (twin.isActive) return warn(new Error('A twin run is in progress, so the single run takes no step now.'), TWIN_HINT, id);
    if (s.loop.state !== 'paused') return warn(new Error(`Only a paused run can explain its next step (the run is ${s.loop.state}).`), s.loop.state === 'running' ? 'Pause the run first, then press "Explain the next step".' : 'Start a new run (or load a checkpoint) to explain its steps.', id);
    post({ type: 'ack', id });
    try {
      const explanation = await s.loop.explainStep(EXPLAIN_NUM_SHOWN);
      post({ type: 'explained', id, explanation });
    } catch (e) {
      warn(e, 'The step could not be explained; press Resume to go on training.', id);
    }
  }

  // Each request gets exactly one final reply with its id: the ack after the list, or the warning.
  async function listAutosaves(id: number): Promise<void> {
    try {
      post({ type: 'autosaves', entries: deps.autosaves ? await deps.autosaves.list() : [] });
      post({ type: 'ack', id });
    } catch (e) {
      warn(e, 'Autosaves could not be read; export checkpoints to files instead.', id);
    }
  }

  async function deleteAutosave(id: number, runId: string): Promise<void> {
    try {
      await deps.autosaves?.remove(runId);
    } catch (e) {
      return warn(e, 'The autosave could not be deleted.', id);
    }
    await listAutosaves(id);
  }

  post({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
  return (msg: ToWorker) => {
    switch (msg.type) {
      case 'init':
        ensureBackend(msg.backend).then(
          () => post({ type: 'ack', id: msg.id }),
          (e) => fail(e, 'No backend could be started. Use a recent Chrome or Edge; training needs WebGPU, WebGL or at least JavaScript.', msg.id),
        );
        return;
      case 'start':
        void start(msg.id, msg.config, msg.maxSteps);
        return;
      case 'pause':
      case 'resume':
      case 'stop':
        if (!session) return fail(new Error(`Nothing to ${msg.type}: no run has been started.`), 'Press Start first.', msg.id);
        if (msg.type === 'resume' && twin.isActive) return warn(new Error('A twin run is in progress, so the single run was not resumed.'), TWIN_HINT, msg.id);
        session.loop[msg.type]();
        return post({ type: 'ack', id: msg.id });
      case 'evaluate':
        if (!session) return fail(new Error('Nothing to evaluate: no run has been started.'), 'Press Start first.', msg.id);
        post({ type: 'ack', id: msg.id });
        session.loop.evaluateNow().catch((e) => fail(e, 'The evaluation failed; training is unaffected.', msg.id));
        return;
      case 'linearProbe':
        void offlineProbe(msg.id);
        return;
      case 'exportCheckpoint':
        void exportCheckpoint(msg.id);
        return;
      case 'exportBackbone':
        void exportBackbone(msg.id);
        return;
      case 'loadCheckpoint':
        void loadCheckpoint(msg.id, msg.source, msg.maxSteps);
        return;
      case 'listAutosaves':
        void listAutosaves(msg.id);
        return;
      case 'explainStep':
        void explainStep(msg.id);
        return;
      case 'deleteAutosave':
        void deleteAutosave(msg.id, msg.runId);
        return;
      case 'twinStart':
        return twin.start(msg.id, msg.config, msg.maxSteps);
      case 'twinPause':
        return twin.pause(msg.id);
      case 'twinResume':
        return twin.resume(msg.id);
      case 'twinStop':
        return twin.stop(msg.id);
    }
  };
}

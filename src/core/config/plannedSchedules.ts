/**
 * The planned schedules of a run as data: for a config, the values the trainer will use at every
 * step — learning rate, weight decay, EMA / teacher momentum and teacher temperature (iBOT: also of
 * the patch tokens) — sampled at ≤ MAX_SCHEDULE_POINTS steps for the schedule chart. It calls the
 * very functions the trainer and the methods call (core/train/schedules.ts), with the same
 * arguments, so the chart shows what runs.
 *
 * Lives in core/config (not core/train) because ui/ may import only core/config at run time
 * (STYLE.md layer rules, scripts/checkImports.mjs); schedules.ts is plain math without tfjs.
 * Steps are counted as the charts count them: step s = the s-th completed step (1-based), whose
 * update used the schedule value at 0-based index s − 1.
 * Must not import: tfjs, DOM, React.
 */
import { cosineMomentum, cosineWithWarmup, dinoWeightDecay, frozenLastLayerSteps, teacherTemperature } from '../optim/schedules';
import type { MethodName, RunConfig } from './runConfig';

/** Most sampled steps per schedule (the chart needs no more). */
export const MAX_SCHEDULE_POINTS = 200;

/** Which quantity a planned schedule is. */
export type ScheduleKey = 'learningRate' | 'weightDecay' | 'momentum' | 'teacherTemp' | 'teacherPatchTemp';

/** One planned schedule, sampled at `PlannedSchedules.steps`. */
export interface PlannedSeries {
  key: ScheduleKey;
  /** Short name for the chart title. */
  label: string;
  /** What the curve is and which function produces it (chart caption / tooltip). */
  description: string;
  /** Value at each sampled step (same length as `steps`). */
  values: number[];
}

/** The schedules of one config. */
export interface PlannedSchedules {
  /** Sampled steps, ascending, 1-based completed-step numbers in [1, totalSteps]. */
  steps: number[];
  series: PlannedSeries[];
}

/** Methods with an EMA target / teacher network whose momentum follows cosineMomentum. */
const EMA_METHODS: ReadonlySet<MethodName> = new Set<MethodName>(['byol', 'dino', 'ibot']);
/** Methods with DINO's schedules: cosine weight decay, teacher temperature warm-up, frozen last layer. */
const DINO_METHODS: ReadonlySet<MethodName> = new Set<MethodName>(['dino', 'ibot']);

/**
 * Sampled steps over [1, totalSteps]: every step when there are at most `maxPoints`, otherwise an
 * even spread that always contains the first and last step and the given breakpoints (and the step
 * after each), so warm-up corners are drawn where they are.
 */
export function sampleSteps(totalSteps: number, breakpoints: readonly number[] = [], maxPoints = MAX_SCHEDULE_POINTS): number[] {
  const total = Math.max(1, Math.floor(totalSteps));
  if (total <= maxPoints) return Array.from({ length: total }, (_, i) => i + 1);
  const keys = new Set<number>([1, total]);
  for (const b of breakpoints) {
    for (const s of [b, b + 1]) if (Number.isInteger(s) && s >= 1 && s <= total) keys.add(s);
  }
  const numEven = Math.max(2, maxPoints - keys.size);
  const all = new Set<number>(keys);
  for (let i = 0; i < numEven && all.size < maxPoints; i++) all.add(1 + Math.round((i * (total - 1)) / (numEven - 1)));
  return [...all].sort((a, b) => a - b);
}

/** How one schedule is computed: whether a config has it, its text, and its value at a step. */
interface ScheduleDef {
  key: ScheduleKey;
  label(config: RunConfig): string;
  applies(config: RunConfig): boolean;
  describe(config: RunConfig): string;
  /** Value used by the update of completed step `step` (1-based), with the trainer's own call. */
  valueAt(config: RunConfig, step: number): number;
}

/** Steps with DINO's head last layer frozen (0 for the other methods). */
function frozenSteps(c: RunConfig): number {
  return DINO_METHODS.has(c.method) ? Math.min(c.totalSteps, frozenLastLayerSteps(c.freezeLastLayerEpochs, c.numTrainImages, c.batchSize)) : 0;
}

const SCHEDULES: readonly ScheduleDef[] = [
  {
    key: 'learningRate',
    label: () => 'Learning rate',
    applies: () => true,
    describe: (c) => {
      const shape = c.warmupSteps > 0
        ? `Linear warm-up from 0 to ${c.learningRate} over the first ${c.warmupSteps} steps, then a cosine decay to 0 at step ${c.totalSteps}.`
        : `Cosine decay from ${c.learningRate} to 0 at step ${c.totalSteps} (no warm-up).`;
      const frozen = frozenSteps(c);
      return frozen > 0 ? `${shape} The head's last layer is frozen for the first ${frozen} steps.` : shape;
    },
    // trainer.ts queueStep: cosineWithWarmup(stepIdx, learningRate, totalSteps, warmupSteps)
    valueAt: (c, s) => cosineWithWarmup(s - 1, c.learningRate, c.totalSteps, c.warmupSteps),
  },
  {
    key: 'weightDecay',
    label: () => 'Weight decay',
    applies: () => true,
    describe: (c) => DINO_METHODS.has(c.method)
      ? `Cosine from ${c.weightDecay} to ${c.weightDecayEnd} at step ${c.totalSteps} (DINO's weight-decay schedule; biases and norms excluded).`
      : `Constant ${c.weightDecay} (the optimizer's weight decay; biases and norms excluded where the method says so).`,
    // DINO/iBOT stepOptimization: dinoWeightDecay(stepIdx, weightDecay, weightDecayEnd, totalSteps);
    // the pair methods: optimizerSpec.ts, the config's weightDecay for the whole run
    valueAt: (c, s) => (DINO_METHODS.has(c.method) ? dinoWeightDecay(s - 1, c.weightDecay, c.weightDecayEnd, c.totalSteps) : c.weightDecay),
  },
  {
    key: 'momentum',
    label: (c) => (c.method === 'byol' ? 'Target momentum' : 'Teacher momentum'),
    applies: (c) => EMA_METHODS.has(c.method),
    describe: (c) => `EMA momentum τ of the ${c.method === 'byol' ? 'target' : 'teacher'} network: cosine from ${c.emaMomentum} up to 1 at step ${c.totalSteps} (it freezes at the end).`,
    // byolMethod.ts / DINO afterStep({ step }): cosineMomentum(step − 1, emaMomentum, totalSteps)
    valueAt: (c, s) => cosineMomentum(s - 1, c.emaMomentum, c.totalSteps),
  },
  {
    key: 'teacherTemp',
    label: () => 'Teacher temperature',
    applies: (c) => DINO_METHODS.has(c.method),
    describe: (c) => c.teacherTempWarmupSteps > 0
      ? `Teacher softmax temperature: linear from ${c.teacherTempWarmup} to ${c.teacherTemp} over the first ${c.teacherTempWarmupSteps} steps, then constant (student: ${c.studentTemp}).`
      : `Teacher softmax temperature: constant ${c.teacherTemp} (no warm-up; student: ${c.studentTemp}).`,
    // DINO loss: teacherTemperature(stepIdx, teacherTempWarmup, teacherTemp, teacherTempWarmupSteps)
    valueAt: (c, s) => teacherTemperature(s - 1, c.teacherTempWarmup, c.teacherTemp, c.teacherTempWarmupSteps),
  },
  {
    key: 'teacherPatchTemp',
    label: () => 'Teacher patch temperature',
    applies: (c) => c.method === 'ibot',
    describe: (c) => c.teacherTempWarmupSteps > 0
      ? `iBOT's teacher softmax temperature of the masked patch tokens: linear from ${c.teacherTempWarmup} to ${c.teacherPatchTemp} over the same ${c.teacherTempWarmupSteps} warm-up steps, then constant.`
      : `iBOT's teacher softmax temperature of the masked patch tokens: constant ${c.teacherPatchTemp} (no warm-up).`,
    // ibotMethod.ts: teacherTemperature(stepIdx, teacherTempWarmup, teacherPatchTemp, teacherTempWarmupSteps)
    valueAt: (c, s) => teacherTemperature(s - 1, c.teacherTempWarmup, c.teacherPatchTemp, c.teacherTempWarmupSteps),
  },
];

/** The schedules `config` has, in chart order. */
function schedulesOf(config: RunConfig): ScheduleDef[] {
  return SCHEDULES.filter((d) => d.applies(config));
}

/** The planned schedules of `config`: learning rate and weight decay always, the EMA momentum of
 * BYOL's target / DINO's and iBOT's teacher, and the teacher temperature(s) of DINO and iBOT. */
export function plannedSchedules(config: RunConfig): PlannedSchedules {
  const breakpoints = [config.warmupSteps, ...(DINO_METHODS.has(config.method) ? [config.teacherTempWarmupSteps, frozenSteps(config)] : [])];
  const steps = sampleSteps(config.totalSteps, breakpoints);
  return {
    steps,
    series: schedulesOf(config).map((d) => ({
      key: d.key,
      label: d.label(config),
      description: d.describe(config),
      values: steps.map((s) => d.valueAt(config, s)),
    })),
  };
}

/** The value of each of `config`'s schedules at completed step `step` (clamped to [1, totalSteps]). */
export function scheduleValuesAt(config: RunConfig, step: number): Partial<Record<ScheduleKey, number>> {
  const s = Math.min(Math.max(1, Math.round(step)), Math.max(1, config.totalSteps));
  const out: Partial<Record<ScheduleKey, number>> = {};
  for (const d of schedulesOf(config)) out[d.key] = d.valueAt(config, s);
  return out;
}

/**
 * Groups the kernels of a tf.profile of one training step into what the step spends its GPU time on
 * (bench/stepProfile): forward convs, Conv2DBackpropInput, Conv2DBackpropFilter, BN, matmuls,
 * optimizer, views, other. tfjs's profile records only kernel names and shapes, so a tracker hooks
 * three engine methods to tag every top-level kernel with its context when it is launched:
 *   - runKernelFunc: the kernel name, whether it is nested in another kernel (nested kernels are
 *     timed inside their parent, so only top-level records are summed), and the current phase;
 *   - addTapeNode: wraps each tape node's gradient (and the per-input thunks it returns), so kernels
 *     of the backward pass know which forward kernel they differentiate (BN's backward is many
 *     elementwise kernels under FusedBatchNorm / Mean / SquaredDifference);
 *   - the phase is set by the page: 'views' from the start of a step until the first convolution,
 *     'optimizer' while optimizer.apply runs, 'after' once it returned.
 * Must not import: worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';

/** The groups of the table in bench/README.md, in display order. */
export const GROUPS = [
  'forward convs', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'BN', 'matmuls', 'optimizer', 'views', 'other',
] as const;
export type KernelGroup = (typeof GROUPS)[number];

/** Where the step is while a kernel launches (set by the page, see the file header). */
export type StepPhase = 'views' | 'model' | 'optimizer' | 'after';

const FORWARD_CONVS = new Set(['Conv2D', 'FusedConv2D', 'DepthwiseConv2dNative', 'FusedDepthwiseConv2D']);
// 'batchNormTrain': the custom-gradient op of src/core/ops/batchNormTrain.ts (named by its tidy scope)
const BN_KERNELS = new Set(['FusedBatchNorm', 'Mean', 'SquaredDifference', 'batchNormTrain']);
const MATMULS = new Set(['BatchMatMul', '_FusedMatMul', 'MatMul']);

/** The group of a kernel from its name, the forward kernel it differentiates (if any) and the phase. */
export function groupOf(name: string, backwardOf: string | null, phase: StepPhase): KernelGroup {
  if (name === 'Conv2DBackpropInput' || name === 'Conv2DBackpropFilter') return name;
  if (phase === 'optimizer') return 'optimizer';
  if (phase === 'views') return 'views';
  if (backwardOf != null && BN_KERNELS.has(backwardOf)) return 'BN'; // batchNormTrain's backward has matmuls
  if (MATMULS.has(name)) return 'matmuls';
  if (backwardOf != null) return BN_KERNELS.has(backwardOf) ? 'BN' : FORWARD_CONVS.has(backwardOf) ? 'forward convs' : 'other';
  if (FORWARD_CONVS.has(name)) return 'forward convs';
  if (BN_KERNELS.has(name)) return 'BN';
  return 'other';
}

/** A kernel record of tf.profile plus our tags. */
export interface TaggedKernel {
  name: string;
  kernelTimeMs: number;
  group: KernelGroup;
  topLevel: boolean;
  backwardOf: string | null;
}

type EngineInternals = {
  runKernelFunc: (params: unknown) => unknown;
  addTapeNode: (...args: unknown[]) => void;
  state: { kernelDepth: number; activeScope: { name: string } | null; profiling: boolean; activeProfile: { kernels: Array<Record<string, unknown>> }; activeTape: Array<{ kernelName: string; gradient?: (dys: unknown) => unknown }> };
};

/** Hooks the engine (once per page) and exposes the phase the page sets. */
export interface KernelTracker {
  phase: StepPhase;
  /** Converts a finished tf.profile's kernels into tagged records. */
  tagged(profile: Awaited<ReturnType<typeof tf.profile>>): TaggedKernel[];
}

export function installKernelTracker(): KernelTracker {
  const engine = tf.engine() as unknown as EngineInternals;
  const tracker: KernelTracker = {
    phase: 'after',
    tagged: (profile) =>
      (profile.kernels as unknown as Array<Record<string, unknown>>).map((k) => ({
        name: String(k.name),
        kernelTimeMs: Number(k.kernelTimeMs),
        group: (k.hvpGroup as KernelGroup | undefined) ?? 'other',
        topLevel: k.hvpTopLevel !== false,
        backwardOf: (k.hvpBackwardOf as string | undefined) ?? null,
      })),
  };
  const backwardStack: string[] = [];
  const within = <T>(kernelName: string, f: () => T): T => {
    backwardStack.push(kernelName);
    try {
      return f();
    } finally {
      backwardStack.pop();
    }
  };
  const runKernelFunc = engine.runKernelFunc.bind(engine);
  engine.runKernelFunc = (params: unknown) => {
    // a custom-gradient op has no kernel name: tfjs names its record and tape node after the active scope
    const name = String((params as { kernelName?: string }).kernelName ?? engine.state.activeScope?.name ?? 'customOp');
    const topLevel = engine.state.kernelDepth === 0;
    if (topLevel && tracker.phase === 'views' && FORWARD_CONVS.has(name)) tracker.phase = 'model';
    const backwardOf = backwardStack.length ? backwardStack[backwardStack.length - 1]! : null;
    const out = runKernelFunc(params);
    if (engine.state.profiling) {
      const rec = engine.state.activeProfile.kernels[engine.state.activeProfile.kernels.length - 1];
      if (rec) Object.assign(rec, { hvpGroup: groupOf(name, backwardOf, tracker.phase), hvpTopLevel: topLevel, hvpBackwardOf: backwardOf });
    }
    return out;
  };
  const addTapeNode = engine.addTapeNode.bind(engine);
  engine.addTapeNode = (...args: unknown[]) => {
    addTapeNode(...args);
    const node = engine.state.activeTape[engine.state.activeTape.length - 1];
    const gradient = node?.gradient;
    if (!node || !gradient) return;
    node.gradient = (dys: unknown) => {
      const grads = within(node.kernelName, () => gradient(dys));
      if (grads == null || typeof grads !== 'object') return grads;
      // Registered gradients return {input: () => Tensor}: the kernels run when the tape calls the thunks.
      const wrapped: Record<string, unknown> = Array.isArray(grads) ? [...grads] as unknown as Record<string, unknown> : { ...grads };
      for (const [k, v] of Object.entries(grads)) if (typeof v === 'function') wrapped[k] = () => within(node.kernelName, () => (v as () => unknown)());
      return wrapped;
    };
  };
  return tracker;
}

/** Sum of top-level GPU ms and kernel count per group, plus per kernel name (top `topNames`). */
export function summarize(kernels: TaggedKernel[], topNames = 12): {
  totalMs: number;
  groups: Array<{ group: KernelGroup; ms: number; share: number; kernels: number }>;
  topKernels: Array<{ name: string; group: KernelGroup; ms: number; kernels: number }>;
} {
  const top = kernels.filter((k) => k.topLevel);
  const totalMs = top.reduce((s, k) => s + k.kernelTimeMs, 0);
  const groups = GROUPS.map((group) => {
    const ks = top.filter((k) => k.group === group);
    const ms = ks.reduce((s, k) => s + k.kernelTimeMs, 0);
    return { group, ms, share: totalMs > 0 ? ms / totalMs : 0, kernels: ks.length };
  });
  const byName = new Map<string, { name: string; group: KernelGroup; ms: number; kernels: number }>();
  for (const k of top) {
    const key = `${k.group}/${k.name}`;
    const e = byName.get(key) ?? { name: k.name, group: k.group, ms: 0, kernels: 0 };
    e.ms += k.kernelTimeMs;
    e.kernels++;
    byName.set(key, e);
  }
  const topKernels = [...byName.values()].sort((a, b) => b.ms - a.ms).slice(0, topNames);
  return { totalMs, groups, topKernels };
}

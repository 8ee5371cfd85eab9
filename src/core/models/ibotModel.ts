/**
 * The iBOT model (Zhou et al. 2022, "iBOT: Image BERT Pre-Training with Online Tokenizer",
 * arXiv 2111.07832), ViT only:
 *   student  ViT (`backbone.*`, models/vit.ts) with iBOT's learned `backbone.masked_embed` → iBOT head
 *            (`head.*`, models/ibotHead.ts: shared MLP, `head.last_layer` for the CLS token,
 *            `head.last_layer2` for the patch tokens): the trainable params
 *   teacher  an EMA copy in `buffers` as `teacher.backbone.*`, `teacher.head.*` (checkpoints save it
 *            like any buffer); no masked_embed (iBOT's teacher is built without masked_im_modeling,
 *            it never sees masks) and no drop_path
 *   centers  `center` [1, K] (CLS) and `center2` [1, 1, Kp] (patches), iBOTLoss's buffers
 * plus the four fixed `….last_layer{,2}.weight_g`.
 *
 * Forwards: globals go through the ViT in one call and locals (another size: pos_embed resized as
 * iBOT's interpolate_pos_encoding) in another, as iBOT's MultiCropWrapper; the student sees the
 * globals with their masks, the locals unmasked (CLS output only).
 * drop_path of the student is seeded by (model seed, step, call order within the step) as
 * models/backbone.ts does, so runs and resumes repeat exactly.
 * embed() is the TEACHER backbone's CLS in eval mode: iBOT, like DINO, evaluates the teacher.
 * No BatchNorm anywhere (ViT + iBOT head), so there are no running stats.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../config/runConfig';
import { createRng } from '../random';
import { emaUpdate, type EmaPair } from '../optim/ema';
import { forwardNoiseSeed } from './backbone';
import { createIbotHead, type IbotHead } from './ibotHead';
import { createParamStore, type ParamStore } from './paramStore';
import { createVit, type Vit } from './vit';

/** Name prefix of the teacher's tensors. */
export const IBOT_TEACHER_PREFIX = 'teacher.';
/** Names of the center buffers (iBOTLoss.center, .center2). */
export const IBOT_CENTER_NAME = 'center';
export const IBOT_CENTER2_NAME = 'center2';
const STUDENT_BACKBONE = 'backbone.';

/** The config fields an iBOT model is built from. */
export type IbotModelConfig = Pick<
  RunConfig,
  'imageSize' | 'vitPatchSize' | 'vitDim' | 'vitDepth' | 'vitHeads' | 'vitDropPath' | 'dinoOutDim' | 'dinoHiddenDim' | 'dinoBottleneckDim' | 'patchOutDim'
>;

/** Head outputs of the global views (and the locals' CLS). */
export interface IbotStudentOutput {
  /** [G·M, K] */
  globalCls: tf.Tensor2D;
  /** [G·M, T, Kp] */
  globalPatches: tf.Tensor3D;
  /** [L·M, K], or null without locals */
  localCls: tf.Tensor2D | null;
}

export interface IbotTeacherOutput {
  /** [G·M, K] */
  cls: tf.Tensor2D;
  /** [G·M, T, Kp] */
  patches: tf.Tensor3D;
}

export interface IbotModel {
  params: Map<string, tf.Variable>;
  buffers: Map<string, tf.Variable>;
  featureDim: number;
  /** Patch tokens T of a global view. */
  numPatches: number;
  /** Names of the head's last-layer params (frozen in the first epochs, iBOT's cancel_gradients_last_layer). */
  lastLayerNames: readonly string[];
  center: tf.Variable;
  center2: tf.Variable;
  /**
   * globals [G·M, S, S, 3] with masks [G·M, T] (1 = masked), locals [L·M, Sl, Sl, 3] or null.
   * In training mode drop_path draws from this step's stream (beginStep first).
   */
  student(globals: tf.Tensor4D, masks: tf.Tensor2D, locals: tf.Tensor4D | null, isTraining: boolean): IbotStudentOutput;
  /** globals [G·M, S, S, 3] unmasked. No gradient reaches any variable. */
  teacher(globals: tf.Tensor4D): IbotTeacherOutput;
  /** Teacher backbone CLS in eval mode: [B, D]. */
  embed(x: tf.Tensor4D): tf.Tensor2D;
  beginStep(stepIdx: number): void;
  /** teacher ← τ·teacher + (1 − τ)·student for every parameter they share. NOTE: mutates the teacher. */
  updateTeacher(momentum: number): void;
  isNoDecay(name: string): boolean;
  dispose(): void;
}

function buildNetwork(store: ParamStore, cfg: IbotModelConfig, prefix: string, isStudent: boolean): { vit: Vit; head: IbotHead } {
  const vit = createVit(store, {
    imageSize: cfg.imageSize, patchSize: cfg.vitPatchSize, dim: cfg.vitDim, depth: cfg.vitDepth, numHeads: cfg.vitHeads,
    dropPath: isStudent ? cfg.vitDropPath : 0, prefix: `${prefix}backbone.`, hasMaskedEmbed: isStudent,
  });
  const head = createIbotHead(store, `${prefix}head`, {
    inDim: vit.featureDim, hiddenDim: cfg.dinoHiddenDim, bottleneckDim: cfg.dinoBottleneckDim, outDim: cfg.dinoOutDim, patchOutDim: cfg.patchOutDim,
  });
  return { vit, head };
}

/** Builds an iBOT model with student weights drawn from `seed`; the teacher starts as an exact copy, the centers at 0. */
export function createIbotModel(cfg: IbotModelConfig, seed: number): IbotModel {
  const store = createParamStore(seed, 'ibot');
  const student = buildNetwork(store, cfg, '', true);
  const teacherStore = createParamStore(seed, 'ibot_teacher');
  const teacher = buildNetwork(teacherStore, cfg, IBOT_TEACHER_PREFIX, false);
  const buffers = new Map(store.buffers);
  const emaPairs: EmaPair[] = [];
  for (const [name, v] of teacherStore.params) {
    const src = store.params.get(name.slice(IBOT_TEACHER_PREFIX.length));
    if (!src || src.shape.join() !== v.shape.join()) throw new Error(`iBOT teacher tensor "${name}" has no student counterpart of shape [${v.shape}]`);
    v.assign(src);
    v.trainable = false;
    buffers.set(name, v);
    emaPairs.push({ target: v, online: src });
  }
  for (const net of [student, teacher]) {
    buffers.set(net.head.lastLayer.gName, net.head.lastLayer.g);
    buffers.set(net.head.lastLayer2.gName, net.head.lastLayer2.g);
  }
  const center = tf.tidy(() => tf.variable(tf.zeros([1, cfg.dinoOutDim]), false));
  const center2 = tf.tidy(() => tf.variable(tf.zeros([1, 1, cfg.patchOutDim]), false));
  buffers.set(IBOT_CENTER_NAME, center);
  buffers.set(IBOT_CENTER2_NAME, center2);
  const isStochastic = student.vit.dropPathRates.some((r) => r > 0);
  let stepIdx: number | null = null;
  let callIdx = 0;
  /** This step's next drop_path stream of the student (null when it needs none). */
  const nextRng = (isTraining: boolean) => {
    if (!isTraining || !isStochastic) return null;
    if (stepIdx === null) throw new Error(`The iBOT student ViT has drop_path ${cfg.vitDropPath}: call beginStep(stepIdx) before its training forwards, so its masks are seeded by the step.`);
    return createRng(forwardNoiseSeed(store.seed, STUDENT_BACKBONE, stepIdx, callIdx++));
  };

  return {
    params: store.params,
    buffers,
    featureDim: student.vit.featureDim,
    numPatches: student.vit.numPatches,
    lastLayerNames: [student.head.lastLayer.vName, student.head.lastLayer2.vName],
    center,
    center2,
    student(globals, masks, locals, isTraining) {
      const g = student.vit.forwardTokens(globals, isTraining, nextRng(isTraining), masks); // cls [G·M, D], patches [G·M, T, D]
      const gOut = student.head.forward(g.cls, g.patches); // [G·M, K], [G·M, T, Kp]
      tf.dispose([g.cls, g.patches]);
      let localCls: tf.Tensor2D | null = null;
      if (locals && locals.shape[0] > 0) {
        const l = student.vit.forwardTokens(locals, isTraining, nextRng(isTraining), null); // cls [L·M, D]
        localCls = student.head.forward(l.cls, null).cls; // [L·M, K]
        tf.dispose([l.cls, l.patches]);
      }
      return { globalCls: gOut.cls, globalPatches: gOut.patches!, localCls };
    },
    teacher(globals) {
      const t = teacher.vit.forwardTokens(globals, false, null, null); // no drop_path, no BN: training = eval
      const out = teacher.head.forward(t.cls, t.patches);
      tf.dispose([t.cls, t.patches]);
      return { cls: out.cls, patches: out.patches! };
    },
    embed(x) {
      return teacher.vit.forward(x, false, null);
    },
    beginStep(s) {
      if (!Number.isSafeInteger(s) || s < 0) throw new RangeError(`beginStep: the step index must be a non-negative integer, got ${s}`);
      stepIdx = s;
      callIdx = 0;
    },
    updateTeacher(momentum) {
      emaUpdate(emaPairs, momentum);
    },
    // iBOT's get_params_groups: no decay for biases and rank-1 tensors (norms), plus the ViT's own (pos_embed, cls_token) as DINO here.
    isNoDecay: (name) => student.vit.isNoDecay(name) || name.endsWith('.bias') || (store.params.get(name)?.rank ?? 2) <= 1,
    dispose() {
      store.dispose();
      teacherStore.dispose();
      student.head.dispose();
      teacher.head.dispose();
      center.dispose();
      center2.dispose();
    },
  };
}

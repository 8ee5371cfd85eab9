/**
 * The DINO model (Caron et al. 2021, "Emerging Properties in Self-Supervised Vision Transformers",
 * arXiv 2104.14294):
 *   student  backbone (`backbone.*`, CIFAR ResNet or ViT, models/backbone.ts) → DINO head (`head.*`,
 *            models/dinoHead.ts): the trainable params
 *   teacher  an EMA copy of backbone + head kept in `buffers` as `teacher.backbone.*`, `teacher.head.*`
 *            (checkpoints save it like any buffer); no drop_path (as DINO's teacher)
 *   center   `center` [1, K], the running mean of the teacher outputs (DINOLoss.center)
 * plus the student's and teacher's BN running stats (ResNet) and both heads' fixed
 * `….last_layer.weight_g`.
 *
 * embed() is the TEACHER backbone in eval mode: DINO evaluates (kNN, linear) the teacher, which
 * is the better network of the two during training.
 *
 * BatchNorm: teacher and student run in training mode in every training and selection forward
 * (DINO never calls teacher.eval()); each keeps its own running stats from its own forwards, and
 * the EMA covers trainable parameters only (DINO: zip(student.parameters(), teacher.parameters())).
 * Multi-crop forwards go through the backbone once per resolution (DINO's MultiCropWrapper), so BN
 * batch statistics are per resolution group; the head has no BN.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../config/runConfig';
import { emaUpdate, type EmaPair } from '../optim/ema';
import { createBackbone, type Backbone, type BackboneConfig } from './backbone';
import { createBnRegistry, tidyWithStats } from './bnRegistry';
import { createDinoHead, type DinoHead } from './dinoHead';
import type { BnStat } from './layers';
import { createParamStore, type ParamStore } from './paramStore';

/** Name prefix of the teacher network's tensors. */
export const TEACHER_PREFIX = 'teacher.';
/** Name of the center buffer. */
export const CENTER_NAME = 'center';

/** A forward of one network: head outputs and its BN batch statistics (training mode). */
export interface DinoForward {
  /** Logits [B, K]. */
  out: tf.Tensor2D;
  bnStats: BnStat[];
}

/** A DINO model: student, EMA teacher and center over named variables. */
export interface DinoModel {
  params: Map<string, tf.Variable>;
  buffers: Map<string, tf.Variable>;
  featureDim: number;
  /** Prototypes K. */
  outDim: number;
  /** Names of the head's last-layer params (frozen in the first epochs). */
  lastLayerNames: readonly string[];
  /** The center [1, K]. */
  center: tf.Variable;
  /** x: [B, S, S, 3] (any S the backbone takes) → [B, K]. */
  student(x: tf.Tensor4D, isTraining: boolean): DinoForward;
  /** x: [B, S, S, 3] → [B, K]. No gradient reaches any variable (the teacher is not trainable). */
  teacher(x: tf.Tensor4D, isTraining: boolean): DinoForward;
  /** Teacher backbone features in eval mode: [B, F]. */
  embed(x: tf.Tensor4D): tf.Tensor2D;
  beginStep(stepIdx: number): void;
  /** NOTE: disposes the stat tensors. */
  updateRunningStats(stats: BnStat[]): void;
  /** teacher ← τ·teacher + (1 − τ)·student for every trainable parameter. NOTE: mutates the teacher. */
  updateTeacher(momentum: number): void;
  isNoDecay(name: string): boolean;
  dispose(): void;
}

/** The config fields a DINO model is built from. */
export type DinoConfig = BackboneConfig & Pick<RunConfig, 'dinoOutDim' | 'dinoHiddenDim' | 'dinoBottleneckDim'>;

function buildNetwork(store: ParamStore, cfg: DinoConfig, prefix: string): { backbone: Backbone; head: DinoHead } {
  const backbone = createBackbone(store, cfg, `${prefix}backbone.`);
  const head = createDinoHead(store, `${prefix}head`, { inDim: backbone.featureDim, hiddenDim: cfg.dinoHiddenDim, bottleneckDim: cfg.dinoBottleneckDim, outDim: cfg.dinoOutDim });
  return { backbone, head };
}

/** Builds a DINO model with student weights drawn from `seed`; the teacher starts as an exact copy, the center at 0. */
export function createDinoModel(cfg: DinoConfig, seed: number): DinoModel {
  const store = createParamStore(seed, 'dino');
  const student = buildNetwork(store, cfg, '');
  const teacherStore = createParamStore(seed, 'dino_teacher');
  const teacher = buildNetwork(teacherStore, cfg.vitDropPath === undefined ? cfg : { ...cfg, vitDropPath: 0 }, TEACHER_PREFIX);
  const buffers = new Map(store.buffers);
  buffers.set(student.head.gName, student.head.lastLayerG);
  const emaPairs: EmaPair[] = [];
  for (const [name, v] of [...teacherStore.params, ...teacherStore.buffers]) {
    const studentName = name.slice(TEACHER_PREFIX.length);
    const src = store.params.get(studentName) ?? store.buffers.get(studentName);
    if (!src || src.shape.join() !== v.shape.join()) throw new Error(`DINO teacher tensor "${name}" has no student counterpart of shape [${v.shape}]`);
    v.assign(src);
    v.trainable = false;
    buffers.set(name, v);
    if (store.params.has(studentName)) emaPairs.push({ target: v, online: src });
  }
  buffers.set(teacher.head.gName, teacher.head.lastLayerG);
  const center = tf.tidy(() => tf.variable(tf.zeros([1, cfg.dinoOutDim]), false));
  buffers.set(CENTER_NAME, center);
  const bns = createBnRegistry(student.backbone.batchNorms, teacher.backbone.batchNorms);
  const run = (net: { backbone: Backbone; head: DinoHead }, x: tf.Tensor4D, isTraining: boolean): DinoForward => {
    const { out, bnStats } = tidyWithStats((stats) => ({ out: net.head.forward(net.backbone.forward(x, isTraining, stats)) })); // [B, K]
    return { out: out.out, bnStats };
  };

  return {
    params: store.params,
    buffers,
    featureDim: student.backbone.featureDim,
    outDim: cfg.dinoOutDim,
    lastLayerNames: ['head.last_layer.weight_v'],
    center,
    student: (x, isTraining) => run(student, x, isTraining),
    teacher: (x, isTraining) => run(teacher, x, isTraining),
    embed(x) {
      return tf.tidy(() => teacher.backbone.forward(x, false, []));
    },
    beginStep(stepIdx) {
      student.backbone.beginStep(stepIdx);
      teacher.backbone.beginStep(stepIdx);
    },
    updateRunningStats: (stats) => bns.updateRunningStats(stats),
    updateTeacher(momentum) {
      emaUpdate(emaPairs, momentum);
    },
    // DINO's get_params_groups: no decay for biases and rank-1 tensors (norms), plus the backbone's own (ViT pos_embed, cls_token).
    isNoDecay: (name) => student.backbone.isNoDecay(name) || bns.isNoDecay(name) || name.endsWith('.bias') || (store.params.get(name)?.rank ?? 2) <= 1,
    dispose() {
      store.dispose();
      teacherStore.dispose();
      student.head.dispose();
      teacher.head.dispose();
      center.dispose();
    },
  };
}

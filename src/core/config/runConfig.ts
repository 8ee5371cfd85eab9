/**
 * RunConfig: everything that defines a training run. Same config + same seed → same run.
 *
 * Plain data, JSON-serializable, no tfjs. Ranges, defaults and the tooltip text of every field
 * live in `schema.ts`; this file holds only the type and the defaults.
 * Must not import: tfjs, DOM, React.
 */

/** Hard-view selection modes: `off` = vanilla two views; `hard` = the paper (max pair loss);
 * `easy` = cooperative (min pair loss); `random` = a uniformly random pair of the N views;
 * `iouPolicy` = the paper's manual baseline (App. F.1.1, Table 4): no selection forward, each
 * image's two views are rejection-sampled until their crop IoU is below a bound scheduled from
 * iouPolicyStart to iouPolicyEnd (hvp/iouPolicy.ts). */
export type HvpMode = 'off' | 'hard' | 'easy' | 'random' | 'iouPolicy';
export const HVP_MODES: readonly HvpMode[] = ['off', 'hard', 'easy', 'random', 'iouPolicy'];

/** Colour-static selection (paper Sec. 6.1.3, Fig. 3 right): on selection steps the candidates are
 * scored with ONE colour augmentation shared by all views of the step (`step`) or of each image
 * (`image`); training uses each view's own appearance. `off` = every view its own colour (the paper's HVP). */
export type ColorStaticMode = 'off' | 'step' | 'image';
export const COLOR_STATIC_MODES: readonly ColorStaticMode[] = ['off', 'step', 'image'];

/** SSL methods: simsiam, simclr, byol train on one pair of views per image (methods/pairMethod.ts);
 * dino and ibot on 2 global + local views (methods/multiCropMethod.ts). */
export type MethodName = 'simsiam' | 'simclr' | 'byol' | 'dino' | 'ibot';
export const METHOD_NAMES: readonly MethodName[] = ['simsiam', 'simclr', 'byol', 'dino', 'ibot'];

/** Optimizers; 'auto' = the method's own (SimSiam SGD, SimCLR and BYOL LARS). */
export type OptimizerName = 'auto' | 'sgd' | 'lars' | 'adamw';
export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['auto', 'sgd', 'lars', 'adamw'];

/** CIFAR-style ResNet layouts: resnet10 = one basic block per stage (fast default), resnet18 = [2,2,2,2]. */
export type ResNetName = 'resnet10' | 'resnet18';
export const RESNET_NAMES: readonly ResNetName[] = ['resnet10', 'resnet18'];
/** Backbones: the CIFAR ResNets, or `vit`, a small Vision Transformer whose size is set by the vit* fields. */
export type BackboneName = ResNetName | 'vit';
export const BACKBONE_NAMES: readonly BackboneName[] = [...RESNET_NAMES, 'vit'];

/** Whether a backbone is one of the CIFAR ResNets (which use `backboneWidth`). */
export const isResNet = (b: BackboneName): b is ResNetName => (RESNET_NAMES as readonly string[]).includes(b);

/** Which images a run trains on: the built-in procedural set, or a set the user imported into
 * this browser (IndexedDB), by its id. */
export type DatasetRef = 'builtin' | `stored:${string}`;
export const BUILTIN_DATASET_REF: DatasetRef = 'builtin';
const STORED_REF = /^stored:([a-z0-9][a-z0-9-]{0,63})$/;

/** The id of a stored-dataset reference, or null for the built-in set or an invalid reference. */
export function storedDatasetId(ref: string): string | null {
  return STORED_REF.exec(ref)?.[1] ?? null;
}

/** Whether `raw` is a valid DatasetRef ('builtin' or 'stored:<id>', id = lowercase letters, digits, '-'). */
export function isDatasetRef(raw: unknown): raw is DatasetRef {
  return typeof raw === 'string' && (raw === BUILTIN_DATASET_REF || STORED_REF.test(raw));
}

/** The reference of the stored dataset `id`. */
export const storedDatasetRef = (id: string): DatasetRef => `stored:${id}`;

/** Engines (tfjs backends) a run may use, in fallback order (core/engine/selectEngine.ts). */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface RunConfig {
  // --- method and HVP ---
  method: MethodName;
  numViews: number;
  hvpMode: HvpMode;
  hvpEvery: number;
  /** SimCLR NT-Xent temperature τ (logits = cos/τ). */
  temperature: number;
  /** Base EMA momentum τ_base of the target (BYOL) / teacher (DINO, iBOT) network (cosine ramp to 1 over the run). */
  emaMomentum: number;
  // --- multi-crop methods (DINO, iBOT; methods/multiCropMethod.ts) ---
  /** Local views per image in a training step (l; 0 = globals only). */
  numLocalViews: number;
  /** Side of the local views in pixels (≤ imageSize). */
  localSize: number;
  /** Local crops' area fraction range (the globals use cropScaleMin/Max). */
  localScaleMin: number;
  localScaleMax: number;
  /** DINO head output dim K (prototypes). */
  dinoOutDim: number;
  /** DINO head MLP hidden width. */
  dinoHiddenDim: number;
  /** DINO head bottleneck dim (input of the weight-normalised last layer). */
  dinoBottleneckDim: number;
  /** Teacher temperature after the warm-up. */
  teacherTemp: number;
  /** Teacher temperature at step 0 (linear warm-up to teacherTemp). */
  teacherTempWarmup: number;
  /** Steps of the teacher-temperature warm-up (0 = teacherTemp from the start). */
  teacherTempWarmupSteps: number;
  /** Momentum of the teacher-output center. */
  centerMomentum: number;
  /** Student softmax temperature. */
  studentTemp: number;
  /** Weight decay at the end of the run (cosine from weightDecay; DINO's wd schedule). */
  weightDecayEnd: number;
  /** Epochs with the head's last layer frozen (DINO's freeze_last_layer). */
  freezeLastLayerEpochs: number;
  /** Most candidate combinations compared per selection step (drawn by the seeded generator). */
  comboCap: number;
  // --- HVP variants (hvpMode iouPolicy; selection-step variants of hard / easy) ---
  /** iouPolicy: IoU bound at step 0 (linear to iouPolicyEnd at the last step). */
  iouPolicyStart: number;
  /** iouPolicy: IoU bound at the last step. */
  iouPolicyEnd: number;
  /** Colour-static selection: candidates scored under one shared colour augmentation (per step / image). */
  colorStatic: ColorStaticMode;
  /** Candidates scored on views rendered at round(size · selectScale); training uses full-size views. */
  selectScale: number;
  // --- iBOT only (methods/ibot*.ts) ---
  /** Fraction of a global view's patch tokens masked for the student (iBOT pred_ratio; block-wise masks). */
  maskRatio: number;
  /** Output dim Kp of iBOT's patch head (last_layer2; the CLS head uses dinoOutDim). */
  patchOutDim: number;
  /** Final teacher temperature of the patch outputs (after the same warm-up as teacherTemp). */
  teacherPatchTemp: number;
  /** Weight λ2 of the masked-patch loss (iBOT lambda2; the CLS loss has weight 1). */
  patchLossWeight: number;
  // --- data ---
  dataset: DatasetRef;
  datasetSeed: number;
  numTrainImages: number;
  numTestImages: number;
  imageSize: number;
  // --- model ---
  backbone: BackboneName;
  backboneWidth: number;
  /** ViT patch side in pixels (must divide imageSize); tokens = (imageSize / vitPatchSize)². */
  vitPatchSize: number;
  /** ViT embedding dim D (the feature dim). */
  vitDim: number;
  /** ViT transformer blocks. */
  vitDepth: number;
  /** ViT attention heads (must divide vitDim). */
  vitHeads: number;
  /** ViT stochastic-depth rate of the last block (linearly 0 → this over the blocks). */
  vitDropPath: number;
  projDim: number;
  predHiddenDim: number;
  // --- optimisation ---
  optimizer: OptimizerName;
  batchSize: number;
  learningRate: number;
  momentum: number;
  weightDecay: number;
  totalSteps: number;
  warmupSteps: number;
  // --- augmentation ---
  cropScaleMin: number;
  cropScaleMax: number;
  flipProb: number;
  jitterProb: number;
  jitterBrightness: number;
  jitterContrast: number;
  jitterSaturation: number;
  jitterHue: number;
  grayscaleProb: number;
  blurProb: number;
  blurSigmaMin: number;
  blurSigmaMax: number;
  solarizeProb: number;
  // --- evaluation and logging ---
  knnEvery: number;
  knnK: number;
  knnTemperature: number;
  numKnnBankImages: number;
  logEvery: number;
  probeEvery: number;
  numProbeImages: number;
  // --- reproducibility and runtime ---
  seed: number;
  /** Steps between autosaves to browser storage (0 = off); a crash or reload loses at most this many. */
  autosaveEvery: number;
  backend: BackendName;
}

/** The defaults: a SimSiam + HVP(hard, N=4) run sized for a laptop GPU. */
export const DEFAULT_CONFIG: RunConfig = {
  method: 'simsiam',
  numViews: 4,
  hvpMode: 'hard',
  hvpEvery: 1,
  temperature: 0.2,
  emaMomentum: 0.99,
  numLocalViews: 2,
  localSize: 16,
  localScaleMin: 0.05,
  localScaleMax: 0.4,
  dinoOutDim: 256,
  dinoHiddenDim: 256,
  dinoBottleneckDim: 64,
  teacherTemp: 0.04,
  teacherTempWarmup: 0.04,
  teacherTempWarmupSteps: 0,
  centerMomentum: 0.9,
  studentTemp: 0.1,
  weightDecayEnd: 0.4,
  freezeLastLayerEpochs: 1,
  comboCap: 128,
  iouPolicyStart: 0.5,
  iouPolicyEnd: 0.2,
  colorStatic: 'off',
  selectScale: 1,
  maskRatio: 0.3,
  patchOutDim: 256,
  teacherPatchTemp: 0.07,
  patchLossWeight: 1,
  dataset: BUILTIN_DATASET_REF,
  datasetSeed: 1,
  numTrainImages: 5000,
  numTestImages: 1000,
  imageSize: 32,
  backbone: 'resnet10',
  backboneWidth: 16,
  vitPatchSize: 4,
  vitDim: 96,
  vitDepth: 6,
  vitHeads: 3,
  vitDropPath: 0.1,
  projDim: 256,
  predHiddenDim: 64,
  optimizer: 'auto',
  batchSize: 64,
  learningRate: 0.06,
  momentum: 0.9,
  weightDecay: 5e-4,
  totalSteps: 2000,
  warmupSteps: 50,
  cropScaleMin: 0.2,
  cropScaleMax: 1.0,
  flipProb: 0.5,
  jitterProb: 0.8,
  jitterBrightness: 0.4,
  jitterContrast: 0.4,
  jitterSaturation: 0.4,
  jitterHue: 0.1,
  grayscaleProb: 0.2,
  blurProb: 0.0,
  blurSigmaMin: 0.1,
  blurSigmaMax: 2.0,
  solarizeProb: 0.0,
  knnEvery: 100,
  knnK: 20,
  knnTemperature: 0.07,
  numKnnBankImages: 2000,
  logEvery: 1,
  probeEvery: 20,
  numProbeImages: 4,
  seed: 0,
  autosaveEvery: 25,
  backend: 'webgpu',
};

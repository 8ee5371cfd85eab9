/**
 * The config schema table: one row per RunConfig field with its kind, range, label and help.
 * It drives validation, the config panel (inputs + tooltips) and the URL codec.
 *
 * Every `help` text states the default, the recommended range and what goes wrong outside it;
 * the UI shows its first sentences (or the row's `summary`) as the field's tooltip and the whole
 * text behind the tooltip's "more" (schemaHelp.ts).
 * Validation takes any value from anywhere (panel, link, CLI, checkpoint) and never throws: numbers
 * are plain decimals (decimal.ts), and messages echo values shortened (valueText.ts).
 * Must not import: tfjs, DOM, React.
 */
import {
  BACKBONE_NAMES, BACKEND_NAMES, COLOR_STATIC_MODES, DEFAULT_CONFIG, HVP_MODES, isDatasetRef, METHOD_NAMES, OPTIMIZER_NAMES, RESNET_NAMES,
  type BackboneName, type HvpMode, type MethodName, type RunConfig,
} from './runConfig';
import { parseDecimal } from './decimal';
import { isSelectingMode } from '../hvp/hvpModes';
import { selectionSize } from '../hvp/selectionViews';
import { describeValue, quoteText } from './valueText';

/** Section of the config panel a field appears in. */
export type FieldGroup = 'method' | 'data' | 'model' | 'optim' | 'augment' | 'eval' | 'run';

interface FieldBase<K extends keyof RunConfig> {
  key: K;
  label: string;
  group: FieldGroup;
  /** Full help: default, recommended range, failure mode outside it (behind the tooltip's "more"). */
  help: string;
  /** What the tooltip shows first (≤ ~200 characters), when the first sentences of `help` say too
   * little; otherwise the tooltip shows those (schemaHelp.ts fieldTip). */
  summary?: string;
  /** Hidden under "advanced" in the panel. */
  isAdvanced?: boolean;
  /** Backbones the field applies to (the panel hides it for others); absent = all. */
  backbones?: readonly BackboneName[];
  /** Methods the field applies to (the panel hides it for others); absent = all. */
  methods?: readonly MethodName[];
  /** HVP modes the field acts in (the panel hides it for others); absent = all. */
  hvpModes?: readonly HvpMode[];
}
/** A numeric field: `int` values must be whole numbers; both kinds are checked against [min, max]. */
export interface NumberField<K extends keyof RunConfig = keyof RunConfig> extends FieldBase<K> {
  kind: 'int' | 'float';
  min: number;
  max: number;
  step?: number;
}
/** A field whose value is one of a fixed list of strings. */
export interface EnumField<K extends keyof RunConfig = keyof RunConfig> extends FieldBase<K> {
  kind: 'enum';
  choices: readonly string[];
}
/** The dataset choice: 'builtin' or 'stored:<id>' of a set imported into this browser. The
 * schema checks only the form; whether the set exists is known to the UI and the worker. */
export interface DatasetField<K extends keyof RunConfig = keyof RunConfig> extends FieldBase<K> {
  kind: 'dataset';
}
export type FieldSpec = NumberField | EnumField | DatasetField;

/** Appends the allowed range when the help text does not state one. */
const withRange = (help: string, min: number, max: number): string => (/Range/.test(help) ? help : `${help} Allowed range ${min}–${max}.`);
const int = (key: keyof RunConfig, label: string, group: FieldGroup, min: number, max: number, help: string, isAdvanced = false): NumberField =>
  ({ key, label, group, kind: 'int', min, max, step: 1, help: `Default ${DEFAULT_CONFIG[key]}. ${withRange(help, min, max)}`, isAdvanced });
const float = (key: keyof RunConfig, label: string, group: FieldGroup, min: number, max: number, help: string, isAdvanced = false): NumberField =>
  ({ key, label, group, kind: 'float', min, max, help: `Default ${DEFAULT_CONFIG[key]}. ${withRange(help, min, max)}`, isAdvanced });
const choice = (key: keyof RunConfig, label: string, group: FieldGroup, choices: readonly string[], help: string, isAdvanced = false): EnumField =>
  ({ key, label, group, kind: 'enum', choices, help: `Default ${DEFAULT_CONFIG[key]}. ${help}`, isAdvanced });

/** The modes whose settings act only there, for `hvpModes`. */
const IOU_POLICY_ONLY: readonly HvpMode[] = ['iouPolicy'];
const SELECTING_MODES: readonly HvpMode[] = ['hard', 'easy'];

/** The ViT backbones, for `backbones` of the vit* fields. */
const VIT_ONLY: readonly BackboneName[] = ['vit'];

/** All fields, in panel order. */
export const CONFIG_SCHEMA: readonly FieldSpec[] = [
  { ...choice('method', 'Method', 'method', METHOD_NAMES, "Self-supervised method. simsiam, simclr and byol train on one view pair per image, so HVP picks that pair; dino and ibot train on 2 global views plus small local views, so HVP picks a combination (an even and an odd global view, plus locals for dino). simsiam: predictor + stop-gradient, negative cosine loss (−1 best); default optimizer SGD; collapses to a constant output if the predictor or stop-gradient is weakened, e.g. a very high learning rate. simclr: contrastive NT-Xent, the other images of the batch are the negatives (loss ≥ 0, lower is better); default optimizer LARS; needs a large batch, with few images (M ≲ 32) it has few negatives and learns slowly. byol: online network with predictor regresses an EMA target network (loss 2 − 2·cos, 0 best); default optimizer LARS; the target momentum matters, too low a momentum lets it collapse or oscillate. dino: the student matches a sharpened, centred EMA teacher over prototypes (cross-entropy, loss ≥ 0) on global and local crops; default optimizer AdamW with a weight-decay schedule, last layer frozen in the first epoch; too warm a teacher (teacherTemp near studentTemp) or no centering collapses to uniform or one-hot outputs. ibot (ViT only): DINO's CLS self-distillation from an EMA teacher plus predicting the teacher's outputs for masked patch tokens (loss ≥ 0, lower is better); default optimizer AdamW; HVP compares the even × odd global pairs per image (locals fixed, as the authors' code); without masked patches it is DINO, and too warm a teacher lets it collapse to uniform outputs."), summary: `Default ${DEFAULT_CONFIG.method}. The self-supervised method that trains the encoder: simsiam, simclr and byol learn from one view pair per image (HVP picks the pair); dino and ibot from global plus local views.` },
  int('numViews', 'Views per image (N)', 'method', 2, 8, 'Range 2–8; the paper uses 4. Each extra view adds a no-gradient forward pass: cost grows about linearly in N and the number of pairs as N(N−1)/2. N=2 makes selection pointless (one pair).'),
  { ...choice('hvpMode', 'HVP mode', 'method', HVP_MODES, 'off = vanilla two views; hard = keep the pair with the highest loss (the paper); easy = the lowest (cooperative, learns worse); random = a random pair of the N views (control); iouPolicy = the paper\'s manual baseline (App. F.1.1, Table 4): no selection forward, each image\'s two views are redrawn (up to 100 pairs) until their crop IoU is below a bound that moves linearly from "IoU policy bound at start" to "at end" over the run; if no pair gets under it the lowest-IoU pair drawn is kept and counted (iouPolicyMisses). DINO / iBOT apply the policy to the two global views (locals as with off). iouPolicy ignores the views per image (N).'), summary: `Default ${DEFAULT_CONFIG.hvpMode}. off = plain views; hard = highest-loss pair (the paper); easy = lowest; random = a random pair; iouPolicy = views redrawn below a scheduled IoU bound.` },
  int('hvpEvery', 'HVP every k steps', 'method', 1, 100, 'Range 1–100. Selection runs on steps divisible by k; other steps train on a random pair. Large k saves time but weakens the effect.'),
  { ...float('temperature', 'NT-Xent temperature', 'method', 0.01, 2, "SimCLR's softmax temperature τ (logits = cosine / τ). 0.2 is solo-learn's CIFAR recipe; the HVP authors hard-code 0.1, the SimCLR paper uses 0.5 for small batches. Range 0.01–2. Low τ weights the hardest negatives most and can make training unstable; high τ blurs the contrast and learns slowly."), methods: ['simclr'] },
  { ...float('emaMomentum', 'Target EMA momentum', 'method', 0.9, 1, "Base momentum τ of BYOL's target / DINO's and iBOT's teacher network: target ← τ·target + (1 − τ)·online after every step, with τ rising to 1 along a cosine over the run (solo-learn CIFAR: 0.99; BYOL ImageNet: 0.996; DINO: 0.996). Range 0.9–1. Lower values let the target chase the online network (unstable, collapse-prone); 1 freezes the target at its random initial weights."), methods: ['byol', 'dino', 'ibot'], summary: `Default ${DEFAULT_CONFIG.emaMomentum}. How slowly BYOL's target / DINO's and iBOT's teacher follows the trained network (τ rises to 1 over the run). Near 1 is slow and stable; lower is collapse-prone. Range 0.9–1.` },
  { ...int('numLocalViews', 'Local views (l)', 'method', 0, 8, 'Small local crops per image the student sees in every training step besides the 2 global views (DINO multi-crop; the paper: 10 of 16 sampled with HVP). With HVP on, (N/2)·l locals are rendered and the selection picks l of them. Range 0–8; 0 trains on the globals only (DINO without multi-crop, weaker); each local adds a student forward, and the candidate combinations grow as C((N/2)·l, l).'), methods: ['dino', 'ibot'] },
  { ...int('localSize', 'Local view size (px)', 'method', 4, 64, 'Side of the local views (DINO: 96 px locals next to 224 px globals; here half the view size). Range 4–64 and at most the view size. Too small (< 8 px) and the locals carry almost nothing; equal to the view size makes them as costly as globals. On the ViT it must be a multiple of the patch size (its position embedding is resized bicubically to the locals’ patch grid, as DINO’s interpolate_pos_encoding).'), methods: ['dino', 'ibot'] },
  { ...float('localScaleMin', 'Local crop scale min', 'method', 0.01, 1, "Smallest area fraction of a local crop (DINO: 0.05). Range 0.01–1; must not exceed the max. Tiny crops show only a patch of texture.", true), methods: ['dino', 'ibot'] },
  { ...float('localScaleMax', 'Local crop scale max', 'method', 0.01, 1, "Largest area fraction of a local crop (DINO: 0.4, the globals' minimum scale). Range 0.01–1. Near 1 the locals are just small globals and the local-to-global task disappears.", true), methods: ['dino', 'ibot'] },
  { ...int('dinoOutDim', 'Head output dim (K)', 'model', 8, 4096, 'Prototypes of the DINO head: the softmax the teacher and student distributions live on (DINO ImageNet: 65536). Range 8–4096. Too few prototypes (< 32) limit what the distributions can separate; many cost memory in the last layer and the center.', true), methods: ['dino', 'ibot'] },
  { ...int('dinoHiddenDim', 'Head hidden dim', 'model', 8, 2048, 'Width of the DINO head MLP (Linear–GELU–Linear–GELU–Linear; DINO: 2048). Range 8–2048. Narrow heads (< 32) learn weak features; wide ones cost compute.', true), methods: ['dino', 'ibot'] },
  { ...int('dinoBottleneckDim', 'Head bottleneck dim', 'model', 4, 512, 'Output of the head MLP, l2-normalised before the weight-normalised last layer (DINO: 256). Range 4–512. Very small bottlenecks collapse more easily.', true), methods: ['dino', 'ibot'] },
  { ...float('teacherTemp', 'Teacher temperature', 'method', 0.01, 0.5, 'Final temperature of the teacher softmax (DINO: 0.04, up to 0.07 for long runs). Range 0.01–0.5; must not be above the student temperature. Too high (≥ the student temperature) lets the outputs collapse to uniform; too low makes the targets one-hot and training unstable.'), methods: ['dino', 'ibot'] },
  { ...float('teacherTempWarmup', 'Teacher temperature at start', 'method', 0.01, 0.5, 'Teacher temperature at step 0, raised linearly to the final one over the warm-up steps (DINO: 0.04). Range 0.01–0.5. Starting high lets the outputs collapse early.', true), methods: ['dino', 'ibot'] },
  { ...int('teacherTempWarmupSteps', 'Teacher temperature warm-up steps', 'method', 0, 100000, 'Steps of the linear teacher-temperature warm-up, then constant (DINO: 30 epochs for ViT-S/16 at 0.04→0.07; 0 = the final temperature from the start). Range 0–100000, at most the total steps.', true), methods: ['dino', 'ibot'] },
  { ...float('centerMomentum', 'Center momentum', 'method', 0, 0.999, 'Momentum of the running mean (center) subtracted from the teacher outputs: center ← m·center + (1 − m)·batch mean (DINO: 0.9). Range 0–0.999. Near 1 the center lags and one prototype can dominate (collapse); near 0 it follows every batch and the targets get noisy.', true), methods: ['dino', 'ibot'] },
  { ...float('studentTemp', 'Student temperature', 'method', 0.01, 1, 'Temperature of the student softmax (DINO: 0.1). Range 0.01–1; must be above the teacher temperature, else the student is sharper than its targets and the outputs collapse.', true), methods: ['dino', 'ibot'] },
  { ...float('weightDecayEnd', 'Weight decay at end', 'optim', 0, 1, 'DINO/iBOT weight decay at the last step: the decay follows a cosine from the weight decay to this value (DINO: 0.04 → 0.4). Range 0–1. Large values near the end shrink the weights and stall learning; equal to the weight decay = constant decay.', true), methods: ['dino', 'ibot'] },
  { ...int('freezeLastLayerEpochs', 'Freeze last layer (epochs)', 'optim', 0, 100, "Epochs during which the head's last layer gets no update (DINO: 1), in steps ⌊epochs · training images / batch size⌋. Range 0–100. 0 lets the randomly initialised prototypes move from the first step, which DINO found less stable; many epochs keep the prototypes random.", true), methods: ['dino', 'ibot'] },
  { ...int('comboCap', 'HVP combination cap', 'method', 1, 4096, 'Most candidate combinations (even × odd global view × l of the locals) one selection step compares; above it that many distinct ones are drawn by the seeded generator (the authors: 64–128). Range 1–4096. The selection cost is one forward regardless, but the loss table grows as images × combinations; a small cap makes the selection less hard.', true), methods: ['dino', 'ibot'], summary: `Default ${DEFAULT_CONFIG.comboCap}. The most candidate view combinations one HVP selection step compares (the authors: 64–128); above it, that many are drawn at random. Range 1–4096.` },
  { ...float('iouPolicyStart', 'IoU policy bound at start', 'method', 0, 1, "hvpMode iouPolicy only: the crop-IoU bound at step 0; the bound moves linearly to \"IoU policy bound at end\" at the last step (bound(s) = start + (end − start)·s/(totalSteps − 1)). Each image's two views are redrawn until their IoU is strictly below the bound. Range 0–1; 0.3–0.6 is a sensible start (at the default crop scales two random crops have a mean IoU around 0.3–0.4). 1 accepts almost every pair (plain views); very low bounds (< 0.05) are rarely reachable in 100 draws, so most images fall back to their lowest-IoU draw and the misses count (iouPolicyMisses) rises — the schedule is then not what you asked for.", true), hvpModes: IOU_POLICY_ONLY, summary: `Default ${DEFAULT_CONFIG.iouPolicyStart}. hvpMode iouPolicy: views of an image are redrawn until their crop IoU is below this bound at step 0 (moving linearly to the end bound). Range 0–1.` },
  { ...float('iouPolicyEnd', 'IoU policy bound at end', 'method', 0, 1, "hvpMode iouPolicy only: the crop-IoU bound at the last step (linear from the start bound). A bound that falls over the run makes the views ever less overlapping (harder), as a hand-made curriculum against HVP's learned one. Range 0–1; 0.1–0.3 is sensible. Near 0 the bound is unattainable for most images (each keeps its lowest-IoU pair of 100 draws and counts as a miss in iouPolicyMisses), and views that share almost nothing make SimSiam learn slowly or collapse.", true), hvpModes: IOU_POLICY_ONLY, summary: `Default ${DEFAULT_CONFIG.iouPolicyEnd}. hvpMode iouPolicy: the IoU bound at the last step. Near 0 it is unattainable and the misses count rises. Range 0–1.` },
  { ...choice('colorStatic', 'Colour-static selection', 'method', COLOR_STATIC_MODES, "Selection steps of hard / easy only (paper Sec. 6.1.3, Fig. 3 right): the candidates are scored on views that all share ONE colour augmentation — jitter (whether it applies, its factors and order), grayscale and solarize — drawn per step (step) or per image (image) from a separate seeded stream; crop, flip and blur stay per view. The chosen views are then trained on with their own colour. off = every view its own colour (the paper's HVP). With the colour shared, the selection can only pick by geometry (crop overlap, scale): the paper finds this learns a little worse, since part of what makes a pair hard is its colour. Costs one extra render of the candidates per selection step; no effect with off, random or iouPolicy.", true), hvpModes: SELECTING_MODES, summary: `Default ${DEFAULT_CONFIG.colorStatic}. Selection steps score the candidates under one shared colour augmentation (per step or per image), so only crops decide; training keeps each view's own colour.` },
  { ...float('selectScale', 'Selection resolution scale', 'method', 0.25, 1, "Selection steps of hard / easy only: the candidates are scored on views rendered at round(view size × scale) (locals at round(local size × scale)); training uses full-size views of the chosen ones. 1 = full size (the paper). Range 0.25–1. Smaller is cheaper (the selection forward scales with the pixels) but its choice agrees less with the full-size one (bench/cpu/selectScaleBench.ts measures it: about 57 % agreement at 0.5 in a short run, chance 17 %), and BatchNorm's running statistics are updated by the low-resolution forward too. On the ViT the smaller size must be a multiple of the patch size; iBOT needs 1 (its masks are drawn for the full-size patch grid).", true), methods: ['simsiam', 'simclr', 'byol', 'dino'], hvpModes: SELECTING_MODES, summary: `Default ${DEFAULT_CONFIG.selectScale}. Score the HVP candidates on smaller views (view size × scale) to save time; training stays full size. 1 = the paper. Range 0.25–1.` },
  { ...float('maskRatio', 'iBOT mask ratio', 'method', 0, 0.9, "Fraction of each global view's patch tokens the iBOT student sees replaced by its learned mask embedding and must predict the teacher's patch outputs for (iBOT pred_ratio: 0.3, with ~0.1–0.5 working). Block-wise masks (rectangles as iBOT/BEiT, topped up to exactly ⌊ratio · patches⌋), seeded per step and view. Range 0–0.9. Below 1 masked patch per view the patch loss is 0 (CLS loss only, i.e. DINO); high ratios leave too little of the view to infer the masked parts from."), methods: ['ibot'], summary: `Default ${DEFAULT_CONFIG.maskRatio}. Fraction of each global view's patches the iBOT student sees masked and must predict the teacher's outputs for (iBOT: 0.3; ~0.1–0.5 work). Range 0–0.9.` },
  { ...int('patchOutDim', 'iBOT patch head output dim', 'model', 8, 4096, "Prototypes Kp of iBOT's patch head (its own weight-normalised last layer on the shared head MLP; iBOT: 8192, equal to the CLS head). Range 8–4096. Too few (< 32) limit what the patch distributions can separate; many cost memory for every patch token.", true), methods: ['ibot'] },
  { ...float('teacherPatchTemp', 'iBOT teacher patch temperature', 'method', 0.01, 0.5, "Final temperature of the teacher's patch softmax, reached after the same warm-up as the teacher temperature (iBOT: 0.04 → 0.07). Range 0.01–0.5; must be below the student temperature. Too high and the patch targets collapse to uniform; too low makes them one-hot and training unstable.", true), methods: ['ibot'] },
  { ...float('patchLossWeight', 'iBOT patch loss weight (λ2)', 'method', 0, 10, "Weight of the masked-patch loss against the CLS loss (weight 1) in iBOT's total loss and in its HVP score (iBOT lambda2: 1). Range 0–10. 0 turns iBOT into DINO with masked inputs; large weights let the patch task dominate and the CLS features (kNN) learn slowly."), methods: ['ibot'] },
  { key: 'dataset', label: 'Dataset', group: 'data', kind: 'dataset', help: `Default ${DEFAULT_CONFIG.dataset}. Allowed range: builtin (the procedural shapes-10 set) or stored:<id>, a set imported in the Datasets panel (kept in this browser only). A link naming a set this browser does not have blocks Start until you import it or pick another.` },
  int('datasetSeed', 'Dataset seed', 'data', 0, 2 ** 31 - 1, 'Seed of the built-in procedural dataset (different seeds give different images of the same 10 shape classes), and of the held-out split of an imported set.', true),
  int('numTrainImages', 'Training images', 'data', 16, 50000, 'Range 16–50000. Built-in: how many are generated; imported set: the most used (a seeded subset). Fewer images overfit sooner; more cost memory (3 KB each at 32×32) and generation time.', true),
  int('numTestImages', 'Held-out images', 'data', 10, 10000, 'Range 10–10000. The labelled split kNN accuracy is measured on (for an imported set, the most held out); under ~200 the accuracy is noisy.', true),
  int('imageSize', 'View size (px)', 'data', 8, 64, 'Range 8–64 (dataset images are 32×32). Smaller views train much faster but lose detail; below 16 the shapes blur together.'),
  { ...choice('backbone', 'Backbone', 'model', BACKBONE_NAMES, 'CIFAR-style ResNet (3×3 stride-1 stem, no max-pool). resnet10 = 1 basic block per stage (fast); resnet18 = 2 per stage (the paper’s CIFAR model, ~4× slower at the same width). vit = a small Vision Transformer (patch tokens + CLS, sized by the ViT fields; at the defaults ~3× the forward compute of resnet10 width 16); from scratch on small data it learns more slowly than a ResNet and prefers AdamW; its tfjs export is not supported (export the checkpoint instead).'), summary: `Default ${DEFAULT_CONFIG.backbone}. The network that turns a view into features: resnet10 (fast), resnet18 (the paper's CIFAR model, ~4× slower) or vit, a small Vision Transformer (slower; prefers AdamW).` },
  { ...int('backboneWidth', 'Backbone width', 'model', 2, 64, 'Channels of the first stage (doubled each stage; 64 = ResNet-18). Range 2–64. Wider learns better but costs ~width² compute; under 8 features are weak.'), backbones: RESNET_NAMES },
  { ...int('vitPatchSize', 'ViT patch size (px)', 'model', 2, 16, 'Side of the square patches the view is cut into; (view size / patch)² tokens plus the CLS token (32 px, patch 4 → 64 + 1, DINO-style for CIFAR). Range 2–16; must divide the view size. Attention cost grows with tokens², so patch 2 at 32 px (256 tokens) is far slower; patch 8 or more leaves few tokens and loses detail.'), backbones: VIT_ONLY },
  { ...int('vitDim', 'ViT embedding dim', 'model', 8, 384, "Token width D, also the feature size. ViT-Tiny uses 192; the default is half of that because compute grows ~D²: 192 costs ~3.8× the compute of 96 (at 32 px, depth 6), fine on a desktop GPU but slow on laptops and very slow on CPU-emulated WebGPU (SwiftShader). Range 8–384; must be divisible by the heads. Under ~32 features are weak."), backbones: VIT_ONLY, summary: `Default ${DEFAULT_CONFIG.vitDim}. Token width D of the ViT, also its feature size (ViT-Tiny: 192). Compute grows ~D², so 192 is ~3.8× slower than 96. Range 8–384; must be divisible by the heads.` },
  { ...int('vitDepth', 'ViT depth (blocks)', 'model', 1, 12, 'Transformer blocks (ViT-Tiny: 12). Range 1–12; cost is linear in depth, and deep ViTs trained from scratch on small data learn slowly.'), backbones: VIT_ONLY },
  { ...int('vitHeads', 'ViT attention heads', 'model', 1, 16, 'Heads of the multi-head self-attention (ViT-Tiny: 3, head dim 64). Range 1–16; must divide the embedding dim. Head dims under ~16 attend poorly.', true), backbones: VIT_ONLY },
  { ...float('vitDropPath', 'ViT drop path', 'model', 0, 0.5, 'Stochastic depth: in training forwards block i skips each residual branch for a whole sample with probability rate·i/(depth−1) (DINO/iBOT: 0.1; active in the HVP selection forward too, as the authors). Range 0–0.5; 0 disables it, high values make shallow nets noisy and slow to learn. Seeded per step, so runs and resumes repeat exactly.', true), backbones: VIT_ONLY, summary: `Default ${DEFAULT_CONFIG.vitDropPath}. Stochastic depth: how often training skips a transformer block's residual branch, more often in deeper blocks (DINO/iBOT: 0.1). Range 0–0.5; 0 disables it.` },
  int('projDim', 'Projector dim', 'model', 8, 2048, 'Output size of the projector (SimSiam paper: 2048; SimCLR: 128; BYOL: 256). Range 8–2048. Very small dims collapse more easily.', true),
  { ...int('predHiddenDim', 'Predictor hidden dim', 'model', 4, 1024, 'Hidden width of the predictor (SimSiam: a bottleneck, paper 512 = projDim/4, keep it at most projDim; BYOL: paper 4096 > 256, wider is allowed). Range 4–1024. Very small widths (< 8) limit what the predictor can learn.', true), methods: ['simsiam', 'byol'] },
  choice('optimizer', 'Optimizer', 'optim', OPTIMIZER_NAMES, "auto = the method's own: SGD with momentum for SimSiam (as its authors), LARS (trust 0.02, biases and BN excluded) for SimCLR and BYOL (solo-learn's CIFAR recipes). AdamW suits ViTs. A mismatched optimizer usually still trains, only worse; LARS with a small learning rate barely moves.", true),
  int('batchSize', 'Batch size (M)', 'optim', 2, 512, 'Images per step. Range 2–512. BatchNorm needs at least ~8 for stable statistics; large batches need more GPU memory (N·M views are forwarded when HVP is on).'),
  float('learningRate', 'Learning rate', 'optim', 1e-5, 5, 'Peak learning rate of the cosine schedule. SimSiam/SGD: paper 0.03·M/256 style scaling; 0.06 works at M=64 here. SimCLR/BYOL with LARS: solo-learn uses 0.4 and 1.0 at M=256, and LARS caps the step of each layer at its trust ratio, so larger values are safer than with SGD. Range 1e-5–5; too high gives NaN loss or collapse, too low learns nothing.'),
  float('momentum', 'Momentum', 'optim', 0, 0.999, 'SGD momentum. Range 0–0.999; 0.9 is standard.', true),
  float('weightDecay', 'Weight decay', 'optim', 0, 0.1, 'SGD weight decay (paper CIFAR: 5e-4); for DINO / iBOT the start of the cosine weight-decay schedule to "Weight decay at end" (DINO: 0.04). Range 0–0.1; large values shrink the weights to collapse.', true),
  int('totalSteps', 'Total steps', 'optim', 1, 1000000, 'Length of the cosine learning-rate schedule; training stops there. Range 1–1e6.'),
  int('warmupSteps', 'Warm-up steps', 'optim', 0, 100000, 'Linear learning-rate warm-up before the cosine decay. Range 0–totalSteps.', true),
  float('cropScaleMin', 'Crop scale min', 'augment', 0.01, 1, 'Smallest crop area as a fraction of the image (paper CIFAR: 0.2). Range 0.01–1; must not exceed the max. Tiny crops make views of one image share nothing.', true),
  float('cropScaleMax', 'Crop scale max', 'augment', 0.01, 1, 'Largest crop area fraction. Range 0.01–1.', true),
  float('flipProb', 'Flip probability', 'augment', 0, 1, 'Horizontal flip probability. Range 0–1; 0 lets the model rely on left/right layout, which the built-in shapes do not need.', true),
  float('jitterProb', 'Colour jitter probability', 'augment', 0, 1, 'Probability of colour jitter (torchvision order randomised per view). Without it SimSiam can match views by colour alone.', true),
  float('jitterBrightness', 'Jitter brightness', 'augment', 0, 1, 'Brightness factor drawn from [1−b, 1+b]. Range 0–1; 0 disables it, near 1 views can turn almost black.', true),
  float('jitterContrast', 'Jitter contrast', 'augment', 0, 1, 'Contrast factor drawn from [1−c, 1+c]. Range 0–1; near 1 views can turn flat grey.', true),
  float('jitterSaturation', 'Jitter saturation', 'augment', 0, 1, 'Saturation factor drawn from [1−s, 1+s]. Range 0–1; 0 lets the model match views by colour.', true),
  float('jitterHue', 'Jitter hue', 'augment', 0, 0.5, 'Hue shift drawn from [−h, h] (fraction of a turn). Range 0–0.5; 0.5 makes colour meaningless, 0 lets views match by hue.', true),
  float('grayscaleProb', 'Grayscale probability', 'augment', 0, 1, 'Probability of converting a view to grayscale. Range 0–1; high values discard most colour information.', true),
  float('blurProb', 'Blur probability', 'augment', 0, 1, 'Probability of Gaussian blur (off for CIFAR in SimSiam). Range 0–1; at 32 px strong blur erases the shapes.', true),
  float('blurSigmaMin', 'Blur sigma min', 'augment', 0.01, 5, 'Smallest blur sigma in pixels. Range 0.01–5; must not exceed the max.', true),
  float('blurSigmaMax', 'Blur sigma max', 'augment', 0.01, 5, 'Largest blur sigma in pixels. Range 0.01–5; above ~2.7 the 17-tap kernel truncates the Gaussian.', true),
  float('solarizeProb', 'Solarize probability', 'augment', 0, 1, 'Probability of solarizing (pixels ≥ 128 inverted). Range 0–1; BYOL/DINO use 0.2 on one view; high values make views of one image look unrelated.', true),
  int('knnEvery', 'kNN every k steps', 'eval', 0, 100000, 'Steps between kNN evaluations on the held-out split; 0 = never. Each evaluation embeds the bank and the held-out set.'),
  int('knnK', 'kNN k', 'eval', 1, 200, 'Neighbours voting in weighted kNN (DINO: 20). Must not exceed the bank size.', true),
  float('knnTemperature', 'kNN temperature', 'eval', 0.001, 10, 'Vote weight exp(sim/T) (DINO: 0.07). Very small T lets the single nearest neighbour decide.', true),
  int('numKnnBankImages', 'kNN bank images', 'eval', 10, 50000, 'Training images embedded as the kNN memory bank (capped at the training set size).', true),
  int('logEvery', 'Log every k steps', 'eval', 1, 1000, 'Steps between metric reads from the GPU. 1 = every step (slightly slower); larger values throttle the charts.', true),
  int('probeEvery', 'Gallery every k steps', 'eval', 1, 100000, 'Steps between gallery refreshes (views, selected pair and pair-loss matrix of the probe images). Each refresh costs one small forward pass.', true),
  int('numProbeImages', 'Probe images', 'eval', 1, 8, 'Fixed held-out images shown in the view gallery. Range 1–8; each costs N rendered views per refresh.', true),
  int('seed', 'Seed', 'run', 0, 2 ** 31 - 1, 'Seed of weight init, data order, views and random selection. Same seed + same config = same run.'),
  int('autosaveEvery', 'Autosave every k steps', 'run', 0, 100000, 'Range 0–100000; 0 = off. Every k steps (and on pause or stop) the run is saved in this browser, so a crash or reload loses at most k steps. Each save writes the whole checkpoint (weights + optimizer state), so very small k slows fast GPUs.', true),
  choice('backend', 'Preferred backend', 'run', BACKEND_NAMES, 'The worker tries this engine first and falls back (webgpu → webgl on a hardware GPU → wasm → cpu) with a banner saying why. wasm (WebAssembly, SIMD, threads when the page is cross-origin isolated) is the fast CPU engine; cpu is the slow pure-JavaScript reference.', true),
];

/** Schema row of a key. */
export function fieldSpec(key: keyof RunConfig): FieldSpec {
  const f = CONFIG_SCHEMA.find((s) => s.key === key);
  if (!f) throw new Error(`No schema entry for config key "${String(key)}"`);
  return f;
}

/** Whether a field matters for `config` (its `backbones`, `methods` and `hvpModes` filters admit the chosen backbone, method and HVP mode); the panel hides the others. */
export function isFieldApplicable(spec: FieldSpec, config: RunConfig): boolean {
  return (!spec.backbones || spec.backbones.includes(config.backbone)) && (!spec.methods || spec.methods.includes(config.method))
    && (!spec.hvpModes || spec.hvpModes.includes(config.hvpMode));
}

/** One refused value: the field and a message saying what is wrong and what is allowed. */
export interface ConfigIssue {
  key: keyof RunConfig | 'config';
  message: string;
}

/** Checks one raw value against its schema row; returns the parsed value or an issue. Any value
 * is accepted as input (objects, arrays, hostile getters): it is type-checked before use, and the
 * message echoes at most a shortened form of it (valueText.ts). Never throws. */
export function checkField(spec: FieldSpec, raw: unknown): { value?: RunConfig[keyof RunConfig]; issue?: ConfigIssue } {
  const refuse = (message: string) => ({ issue: { key: spec.key, message: `${spec.label}: ${message}` } });
  if (spec.kind === 'dataset') {
    if (isDatasetRef(raw)) return { value: raw };
    return refuse(`${describeValue(raw)} is neither builtin nor stored:<id> (id: lowercase letters, digits and '-').`);
  }
  if (spec.kind === 'enum') {
    if (typeof raw === 'string' && spec.choices.includes(raw)) return { value: raw as RunConfig[keyof RunConfig] };
    return refuse(`${describeValue(raw)} is not one of ${spec.choices.join(', ')}.`);
  }
  const range = `${spec.min}–${spec.max}`;
  let n: number;
  if (typeof raw === 'number') n = raw === 0 ? 0 : raw;
  else if (typeof raw === 'string') {
    const parsed = parseDecimal(raw);
    if (parsed.problem !== undefined) return refuse(`${parsed.problem}${parsed.reason === undefined ? '' : `; allowed range ${range}`}.`);
    n = parsed.value;
  } else return refuse(`got ${describeValue(raw)}, expected a number in ${range}.`);
  if (!Number.isFinite(n)) return refuse(`${describeValue(n)} is not a finite number; allowed range ${range}.`);
  if (spec.kind === 'int' && !Number.isInteger(n)) return refuse(`${n} must be a whole number in ${range}.`);
  if (n < spec.min || n > spec.max) return refuse(`${n} is out of range ${range}.`);
  return { value: n as RunConfig[keyof RunConfig] };
}

/** Cross-field rules that a per-field range cannot express. */
export function crossFieldIssues(c: RunConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (c.cropScaleMin > c.cropScaleMax) issues.push({ key: 'cropScaleMin', message: `Crop scale min (${c.cropScaleMin}) must not exceed crop scale max (${c.cropScaleMax}).` });
  if (c.blurSigmaMin > c.blurSigmaMax) issues.push({ key: 'blurSigmaMin', message: `Blur sigma min (${c.blurSigmaMin}) must not exceed blur sigma max (${c.blurSigmaMax}).` });
  if (c.warmupSteps > c.totalSteps) issues.push({ key: 'warmupSteps', message: `Warm-up steps (${c.warmupSteps}) must not exceed total steps (${c.totalSteps}).` });
  if (c.batchSize > c.numTrainImages) issues.push({ key: 'batchSize', message: `Batch size (${c.batchSize}) must not exceed the number of training images (${c.numTrainImages}).` });
  if (c.knnK > Math.min(c.numKnnBankImages, c.numTrainImages)) issues.push({ key: 'knnK', message: `kNN k (${c.knnK}) must not exceed the kNN bank size (${Math.min(c.numKnnBankImages, c.numTrainImages)}).` });
  if (c.numProbeImages > c.numTestImages) issues.push({ key: 'numProbeImages', message: `Probe images (${c.numProbeImages}) must not exceed held-out images (${c.numTestImages}).` });
  if (c.backbone === 'vit' && c.imageSize % c.vitPatchSize !== 0) {
    const divisors = Array.from({ length: 15 }, (_, i) => i + 2).filter((p) => c.imageSize % p === 0);
    issues.push({ key: 'vitPatchSize', message: `ViT patch size (${c.vitPatchSize}) must divide the view size (${c.imageSize} px) into whole patches; ${divisors.length ? `use one of ${divisors.join(', ')}` : 'choose another view size'}.` });
  }
  if (c.backbone === 'vit' && c.vitDim % c.vitHeads !== 0) issues.push({ key: 'vitHeads', message: `ViT attention heads (${c.vitHeads}) must divide the embedding dim (${c.vitDim}) so every head gets ${c.vitDim}/heads channels; e.g. ${c.vitDim} with ${[1, 2, 3, 4, 6, 8].filter((h) => c.vitDim % h === 0).join(', ')} heads.` });
  issues.push(...selectScaleIssues(c));
  if ((c.method === 'dino' || c.method === 'ibot') && c.hvpMode !== 'off' && c.hvpMode !== 'iouPolicy' && c.numViews % 2 !== 0) issues.push({ key: 'numViews', message: `Views per image (${c.numViews}) must be even for ${c.method} with HVP on: the candidate global pairs are even × odd view ids (DINO's asymmetric augmentations), e.g. ${c.numViews - 1} or ${c.numViews + 1}.` });
  if ((c.method === 'dino' || c.method === 'ibot') && c.localSize > c.imageSize) issues.push({ key: 'localSize', message: `Local view size (${c.localSize} px) must not exceed the view size (${c.imageSize} px): locals are the small crops.` });
  if ((c.method === 'dino' || c.method === 'ibot') && c.localScaleMin > c.localScaleMax) issues.push({ key: 'localScaleMin', message: `Local crop scale min (${c.localScaleMin}) must not exceed local crop scale max (${c.localScaleMax}).` });
  if ((c.method === 'dino' || c.method === 'ibot') && c.teacherTemp >= c.studentTemp) issues.push({ key: 'teacherTemp', message: `Teacher temperature (${c.teacherTemp}) must be below the student temperature (${c.studentTemp}): the teacher's sharper targets are what keeps DINO from collapsing.` });
  if ((c.method === 'dino' || c.method === 'ibot') && c.teacherTempWarmupSteps > c.totalSteps) issues.push({ key: 'teacherTempWarmupSteps', message: `Teacher temperature warm-up steps (${c.teacherTempWarmupSteps}) must not exceed total steps (${c.totalSteps}).` });
  issues.push(...ibotIssues(c));
  if (c.method === 'dino' && c.backbone === 'vit' && c.numLocalViews > 0 && c.localSize % c.vitPatchSize !== 0) issues.push({ key: 'localSize', message: `DINO on the vit backbone needs a local view size (${c.localSize} px) that is a multiple of the ViT patch size (${c.vitPatchSize}) so the locals cut into whole patches; e.g. ${Math.max(c.vitPatchSize, Math.round(c.localSize / c.vitPatchSize) * c.vitPatchSize)} px.` });
  if (c.method === 'simsiam' && c.predHiddenDim > c.projDim) issues.push({ key: 'predHiddenDim', message: `Predictor hidden dim (${c.predHiddenDim}) should be a bottleneck for SimSiam: at most the projector dim (${c.projDim}).` });
  return issues;
}

/** selectScale below 1 on the ViT: the low-resolution views must cut into whole patches. */
function selectScaleIssues(c: RunConfig): ConfigIssue[] {
  if (c.selectScale === 1 || !isSelectingMode(c.hvpMode)) return [];
  if (c.method === 'ibot') return [{ key: 'selectScale', message: `Selection resolution scale must be 1 for iBOT (got ${c.selectScale}): its selection forward masks the student's patch tokens with block masks drawn for the full-size patch grid, which smaller views do not have. Set it to 1, or use dino for low-resolution selection.` }];
  if (c.backbone !== 'vit') return [];
  const p = c.vitPatchSize;
  const fits = (scale: number) => selectionSize(c.imageSize, scale) % p === 0 && (!(c.method === 'dino' && c.numLocalViews > 0) || selectionSize(c.localSize, scale) % p === 0);
  const issues: ConfigIssue[] = [];
  const sides = [`view size ${c.imageSize} px → ${selectionSize(c.imageSize, c.selectScale)} px`];
  if (c.method === 'dino' && c.numLocalViews > 0) sides.push(`local size ${c.localSize} px → ${selectionSize(c.localSize, c.selectScale)} px`);
  if (!fits(c.selectScale)) {
    const ok = [0.25, 0.5, 0.75, 1].filter(fits);
    issues.push({ key: 'selectScale', message: `Selection resolution scale ${c.selectScale} gives views (${sides.join(', ')}) that the ViT cannot cut into whole ${p}-px patches; set it so round(size × scale) is a multiple of ${p}, e.g. ${ok.join(' or ')}.` });
  }
  return issues;
}

/** iBOT's cross-field rules: the ViT backbone (masked patch tokens), masks that hide a patch, locals the ViT can cut into patches. */
function ibotIssues(c: RunConfig): ConfigIssue[] {
  if (c.method !== 'ibot') return [];
  if (c.backbone !== 'vit') return [{ key: 'backbone', message: `iBOT needs the vit backbone (its masked-patch loss predicts patch tokens, which a ResNet does not have), got ${c.backbone}. Set the backbone to vit or pick dino for a ResNet.` }];
  const issues: ConfigIssue[] = [];
  const grid = c.imageSize / c.vitPatchSize;
  if (Number.isInteger(grid) && c.maskRatio > 0 && Math.floor(c.maskRatio * grid * grid + 1e-9) < 1) {
    issues.push({ key: 'maskRatio', message: `iBOT mask ratio ${c.maskRatio} masks no patch of the ${grid}×${grid} patch grid (${c.imageSize} px views, patch ${c.vitPatchSize}); use at least ${Math.ceil((1000 / (grid * grid))) / 1000} or set it to 0 on purpose (CLS loss only).` });
  }
  if (c.teacherPatchTemp >= c.studentTemp) issues.push({ key: 'teacherPatchTemp', message: `iBOT teacher patch temperature (${c.teacherPatchTemp}) must be below the student temperature (${c.studentTemp}), else the patch targets are flatter than the predictions and collapse.` });
  if (c.numLocalViews > 0 && c.localSize % c.vitPatchSize !== 0) {
    issues.push({ key: 'localSize', message: `iBOT local view size (${c.localSize} px) must be a multiple of the ViT patch size (${c.vitPatchSize}) so the locals cut into whole patches; e.g. ${Math.max(c.vitPatchSize, Math.round(c.localSize / c.vitPatchSize) * c.vitPatchSize)} px.` });
  }
  return issues;
}

/** Schema rows by key, for inputs with many keys. */
const SPEC_BY_KEY: ReadonlyMap<string, FieldSpec> = new Map(CONFIG_SCHEMA.map((s) => [s.key, s]));
/** Most unknown keys named one by one; the rest are counted. */
const MAX_UNKNOWN_NAMED = 5;

/** Validates a full or partial config on top of `base`. Invalid values are refused (kept at base)
 * and reported; the result is always a valid config only when `issues` is empty. `input` may be
 * anything (a parsed file, a checkpoint's record): a non-object, a getter that throws and an
 * unknown key (`__proto__` included) become issues, never exceptions; unknown keys share one issue. */
export function validateConfig(input: Partial<Record<keyof RunConfig, unknown>>, base: RunConfig = DEFAULT_CONFIG): { config: RunConfig; issues: ConfigIssue[] } {
  const config: RunConfig = { ...base };
  const issues: ConfigIssue[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { config, issues: [{ key: 'config', message: `The settings are ${describeValue(input)}, not an object of settings.` }] };
  }
  let keys: string[];
  try {
    keys = Object.keys(input);
  } catch {
    return { config, issues: [{ key: 'config', message: 'The settings could not be read.' }] };
  }
  const unknown: string[] = [];
  for (const key of keys) {
    const spec = SPEC_BY_KEY.get(key);
    if (!spec) {
      unknown.push(key);
      continue;
    }
    let raw: unknown;
    try {
      raw = (input as Record<string, unknown>)[key];
    } catch {
      issues.push({ key: spec.key, message: `${spec.label}: its value could not be read.` });
      continue;
    }
    const r = checkField(spec, raw);
    if (r.issue) issues.push(r.issue);
    else (config as unknown as Record<string, unknown>)[key] = r.value;
  }
  if (unknown.length) issues.push({ key: 'config', message: unknownSettingsText(unknown) });
  issues.push(...crossFieldIssues(config));
  return { config, issues };
}

/** `Unknown setting "a".` or `Unknown settings "a", "b" and 3 more.` — each name shortened. */
export function unknownSettingsText(keys: readonly string[]): string {
  const named = keys.slice(0, MAX_UNKNOWN_NAMED).map((k) => quoteText(k)).join(', ');
  const rest = keys.length - Math.min(keys.length, MAX_UNKNOWN_NAMED);
  return `Unknown setting${keys.length > 1 ? 's' : ''} ${named}${rest > 0 ? ` and ${rest} more` : ''}.`;
}

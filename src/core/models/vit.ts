/**
 * A small Vision Transformer backbone for 32×32-class images (Dosovitskiy et al. 2021,
 * arXiv 2010.11929), laid out as timm's / DINO's VisionTransformer so its weights load into one:
 *   patch_embed.proj  Conv2d(3, D, k = stride = patch) with bias       → [B, S/p, S/p, D] → T tokens
 *   cls_token [1, 1, D] prepended, pos_embed [1, 1 + T, D] added (resized for views of another size, below)
 *   blocks.i          pre-norm: x + drop_path(attn(norm1(x))), x + drop_path(mlp(norm2(x)))
 *                     attn = qkv Linear(D, 3D) + softmax attention per head + proj Linear(D, D)
 *                     mlp  = fc1 Linear(D, 4D) − GELU (exact erf) − fc2 Linear(4D, D)
 *   norm              final LayerNorm (eps 1e-6); features = the CLS token after it, [B, D]
 * No classifier head (`head` is Identity in DINO's pretraining, the projector follows).
 *
 * Names are timm's state_dict keys (`patch_embed.proj.weight`, `blocks.0.attn.qkv.weight`, …)
 * under a prefix; tfjs layouts are conv HWIO and linear [in, out], which the checkpoint code
 * (checkpoint/torchLayout.ts) turns into OIHW and [out, in]; the rank-3 cls_token / pos_embed are
 * the same in both.
 *
 * Init as DINO's vision_transformer.py (the code the HVP authors' DINO/iBOT runs build on):
 * trunc_normal(std .02) for every Linear weight, pos_embed and cls_token; Linear biases 0;
 * LayerNorm 1 / 0; the patch conv keeps PyTorch's Conv2d default, U(±1/√fanIn) for weight and bias
 * (fanIn = 3·p·p). (timm's default differs only in cls_token: normal with std 1e-6.) Every value
 * comes from the ParamStore's per-parameter seeded streams.
 *
 * Masked image modelling (iBOT, Zhou et al. 2022, arXiv 2111.07832): with `hasMaskedEmbed` the ViT
 * also owns iBOT's learned `masked_embed` (torch [1, D], zeros at init as iBOT; stored [D, 1] here so
 * the checkpoint's rank-2 [in, out] → [out, in] rule gives torch's [1, D] with the same values), and
 * forwardTokens replaces the patch embeddings of masked patches by it before the CLS token and the
 * position embeddings are added (iBOT's mask_model). forwardTokens also takes views of another size
 * (multiples of p, e.g. local crops), with pos_embed resized as DINO/iBOT (models/vitPosEmbed.ts),
 * and returns the patch tokens too; `forward` is its CLS token, for the same sizes (DINO's locals).
 *
 * Stochastic depth (drop_path): block i drops each residual branch per sample with rate
 * dropPath·i/(depth − 1) (torch.linspace(0, dropPath, depth) as timm), only when `isTraining`.
 * Its draws come from the `Rng` the caller passes to forward (models/backbone.ts derives one per
 * step and forward call), in a fixed order: block 0..depth−1, attention branch then MLP branch,
 * numSamples uniforms each, blocks with rate 0 drawing nothing.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';
import { linearBiasUniform, linearWeightUniform, truncNormal } from './init';
import { conv2d, type LinearVars } from './layers';
import type { ParamStore } from './paramStore';
import {
  dropPathMask, gelu, layerNorm, linearTokens, selfAttention, type AttentionVars, type LayerNormVars,
} from './transformerLayers';
import { posEmbedResizeMatrix } from './vitPosEmbed';

/** Std of the truncated-normal init of linear weights, pos_embed and cls_token (DINO, timm). */
export const VIT_INIT_STD = 0.02;
/** Hidden width of the MLP as a multiple of D (timm mlp_ratio). */
export const VIT_MLP_RATIO = 4;

/** Shape of a ViT. */
export interface VitOptions {
  /** Side S of the square input views, in pixels. */
  imageSize: number;
  /** Patch side p; must divide S. Tokens T = (S/p)². */
  patchSize: number;
  /** Embedding dim D. */
  dim: number;
  /** Number of transformer blocks. */
  depth: number;
  /** Attention heads; must divide D. */
  numHeads: number;
  /** Stochastic-depth rate of the last block, in [0, 1). */
  dropPath: number;
  /** Prefix of every parameter name, e.g. 'backbone.' ('' for bare timm keys). */
  prefix?: string;
  /** Create iBOT's learned `masked_embed` for masked patch tokens (forwardTokens' mask). */
  hasMaskedEmbed?: boolean;
}

/** CLS and patch tokens after the final LayerNorm. */
export interface VitTokens {
  /** [B, D] */
  cls: tf.Tensor2D;
  /** [B, T, D], T = (view size / p)², row-major over the patch grid */
  patches: tf.Tensor3D;
}

/** A ViT over variables owned by a ParamStore. */
export interface Vit {
  /** Feature dim D. */
  featureDim: number;
  /** Patch tokens T (without the CLS token). */
  numPatches: number;
  /** drop_path rate of each block (index = block). */
  dropPathRates: readonly number[];
  /**
   * x: [B, S, S, 3] normalised images → CLS features [B, D]. In training mode with drop_path > 0
   * the masks are drawn from `rng` (required then); in eval mode drop_path is the identity.
   */
  forward(x: tf.Tensor4D, isTraining: boolean, rng: Rng | null): tf.Tensor2D;
  /**
   * x: [B, S', S', 3] with S' a multiple of p (S' ≠ S resizes pos_embed as DINO) → CLS [B, D] and
   * patch tokens [B, T', D]. mask: [B, T'] of 0/1 (1 = masked; needs hasMaskedEmbed) or null.
   * drop_path as in forward.
   */
  forwardTokens(x: tf.Tensor4D, isTraining: boolean, rng: Rng | null, mask: tf.Tensor2D | null): VitTokens;
  /** Whether `name` (prefixed) gets no weight decay: biases, LayerNorm weights, pos_embed, cls_token (timm). */
  isNoDecay(name: string): boolean;
}

interface Block {
  norm1: LayerNormVars;
  attn: AttentionVars;
  norm2: LayerNormVars;
  fc1: LinearVars;
  fc2: LinearVars;
  dropPath: number;
}

const positiveInt = (what: string, v: number): void => {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`ViT ${what} must be a positive integer, got ${v}`);
};

/** Checks a ViT shape; throws RangeError naming the offending option. */
export function checkVitOptions(o: VitOptions): void {
  positiveInt('imageSize', o.imageSize);
  positiveInt('patchSize', o.patchSize);
  positiveInt('dim', o.dim);
  positiveInt('depth', o.depth);
  positiveInt('numHeads', o.numHeads);
  if (o.imageSize % o.patchSize !== 0) throw new RangeError(`ViT patch size ${o.patchSize} does not divide the image size ${o.imageSize}`);
  if (o.dim % o.numHeads !== 0) throw new RangeError(`ViT heads ${o.numHeads} do not divide the embedding dim ${o.dim}`);
  if (!(o.dropPath >= 0 && o.dropPath < 1)) throw new RangeError(`ViT drop_path must be in [0, 1), got ${o.dropPath}`);
}

/** Parameter count of a ViT (what the store will hold), by formula. */
export function vitParamCount(o: Pick<VitOptions, 'imageSize' | 'patchSize' | 'dim' | 'depth' | 'hasMaskedEmbed'>): number {
  const D = o.dim;
  const T = (o.imageSize / o.patchSize) ** 2;
  const H = VIT_MLP_RATIO * D;
  const patch = o.patchSize * o.patchSize * 3 * D + D;
  const block = 2 * D /* norm1 */ + (D * 3 * D + 3 * D) + (D * D + D) + 2 * D /* norm2 */ + (D * H + H) + (H * D + D);
  return patch + D /* cls */ + (1 + T) * D /* pos */ + o.depth * block + 2 * D /* norm */ + (o.hasMaskedEmbed ? D : 0);
}

/** Creates the ViT's variables in `store` (timm names) and returns its forward. */
export function createVit(store: ParamStore, opts: VitOptions): Vit {
  checkVitOptions(opts);
  const prefix = opts.prefix ?? '';
  const { imageSize: S, patchSize: p, dim: D, depth, numHeads } = opts;
  const gridSize = S / p;
  const numPatches = gridSize * gridSize;
  const hidden = VIT_MLP_RATIO * D;
  const noDecay = new Set<string>();

  const trunc = (name: string, shape: number[]): tf.Variable => store.param(prefix + name, shape, (rng, n) => truncNormal(rng, n, VIT_INIT_STD));
  const zeros = (name: string, shape: number[]): tf.Variable => store.param(prefix + name, shape, (_rng, n) => new Float32Array(n));
  const ones = (name: string, shape: number[]): tf.Variable => store.param(prefix + name, shape, (_rng, n) => new Float32Array(n).fill(1));
  const lin = (name: string, inDim: number, outDim: number): LinearVars => {
    noDecay.add(`${prefix}${name}.bias`);
    return { weight: trunc(`${name}.weight`, [inDim, outDim]), bias: zeros(`${name}.bias`, [outDim]) };
  };
  const norm = (name: string): LayerNormVars => {
    noDecay.add(`${prefix}${name}.weight`).add(`${prefix}${name}.bias`);
    return { weight: ones(`${name}.weight`, [D]), bias: zeros(`${name}.bias`, [D]) };
  };

  // PyTorch Conv2d default (kaiming_uniform a=√5 → U(±1/√fanIn)), bias U(±1/√fanIn); HWIO [p, p, 3, D].
  const fanIn = 3 * p * p;
  const patchWeight = store.param(`${prefix}patch_embed.proj.weight`, [p, p, 3, D], (rng) => linearWeightUniform(rng, fanIn, D));
  const patchBias = store.param(`${prefix}patch_embed.proj.bias`, [D], (rng) => linearBiasUniform(rng, fanIn, D));
  noDecay.add(`${prefix}patch_embed.proj.bias`);
  const clsToken = trunc('cls_token', [1, 1, D]);
  const posEmbed = trunc('pos_embed', [1, 1 + numPatches, D]);
  noDecay.add(`${prefix}cls_token`).add(`${prefix}pos_embed`);

  const dropPathRates = Array.from({ length: depth }, (_, i) => (depth > 1 ? (opts.dropPath * i) / (depth - 1) : 0));
  const blocks: Block[] = dropPathRates.map((rate, i) => ({
    norm1: norm(`blocks.${i}.norm1`),
    attn: { qkv: lin(`blocks.${i}.attn.qkv`, D, 3 * D), proj: lin(`blocks.${i}.attn.proj`, D, D) },
    norm2: norm(`blocks.${i}.norm2`),
    fc1: lin(`blocks.${i}.mlp.fc1`, D, hidden),
    fc2: lin(`blocks.${i}.mlp.fc2`, hidden, D),
    dropPath: rate,
  }));
  const finalNorm = norm('norm');
  const isStochastic = dropPathRates.some((r) => r > 0);
  // iBOT: nn.Parameter(torch.zeros(1, D)), decayed like any weight (iBOT's get_params_groups); [D, 1] here (see the header).
  const maskedEmbed = opts.hasMaskedEmbed ? zeros('masked_embed', [D, 1]) : null;
  /** Resize matrices of pos_embed's patch rows by grid side (models/vitPosEmbed.ts), kept on the host: the ViT owns no tensors but its variables. */
  const posResize = new Map<number, Float32Array>();
  /** pos_embed's patch rows resized to a grid×grid view (grid ≠ the ViT's own): [1, T', D]. */
  const patchPos = (grid: number): tf.Tensor3D => {
    const rows = tf.reshape(tf.slice(posEmbed, [0, 1, 0], [1, numPatches, D]), [numPatches, D]) as tf.Tensor2D; // [T, D]
    let w = posResize.get(grid);
    if (!w) {
      w = posEmbedResizeMatrix(grid, gridSize);
      posResize.set(grid, w);
    }
    return tf.reshape(tf.matMul(tf.tensor2d(w, [grid * grid, numPatches]), rows), [1, grid * grid, D]); // [T', T]·[T, D] → [1, T', D]
  };

  /** x + drop_path(branch): the branch scaled per sample by a mask from `rng`, or unchanged. */
  const residual = (x: tf.Tensor3D, branch: tf.Tensor3D, rate: number, rng: Rng | null): tf.Tensor3D => {
    if (rate === 0 || rng === null) return tf.add(x, branch);
    return tf.add(x, tf.mul(branch, dropPathMask(rng, x.shape[0], rate))); // mask [B, 1, 1]
  };

  /** The transformer on x [B, S', S', 3] → CLS [B, D], patch tokens [B, T', D]. */
  const encode = (x: tf.Tensor4D, isTraining: boolean, rng: Rng | null, mask: tf.Tensor2D | null): VitTokens => {
    const drawRng = isTraining && isStochastic ? rng : null;
    if (isTraining && isStochastic && !rng) throw new Error('ViT forward in training mode with drop_path > 0 needs a seeded Rng (see models/backbone.ts beginStep)');
    const B = x.shape[0];
    const grid = x.shape[1] / p;
    const T = grid * grid;
    const patches = tf.add(conv2d(x, patchWeight, p, 0), patchBias); // [B, S'/p, S'/p, D]
    let tokens = tf.reshape(patches, [B, T, D]) as tf.Tensor3D; // [B, T', D], row-major over the grid as torch's flatten(2)
    if (mask) {
      if (!maskedEmbed) throw new Error(`ViT "${prefix}" got a patch mask but was built without hasMaskedEmbed (iBOT's masked_embed)`);
      if (mask.rank !== 2 || mask.shape[0] !== B || mask.shape[1] !== T) throw new Error(`ViT patch mask must be [${B}, ${T}], got [${mask.shape}]`);
      const m = tf.reshape(tf.cast(mask, 'float32'), [B, T, 1]); // [B, T', 1], 1 = masked
      tokens = tf.add(tf.mul(tokens, tf.sub(1, m)), tf.mul(m, tf.reshape(maskedEmbed, [1, 1, D]))) as tf.Tensor3D; // [B, T', D]
    }
    const cls = tf.tile(clsToken, [B, 1, 1]) as tf.Tensor3D; // [B, 1, D]
    const pos = grid === gridSize ? posEmbed : tf.concat([tf.slice(posEmbed, [0, 0, 0], [1, 1, D]), patchPos(grid)], 1); // [1, 1 + T', D]
    let h = tf.add(tf.concat([cls, tokens], 1), pos) as tf.Tensor3D; // [B, 1 + T', D]
    for (const blk of blocks) {
      h = residual(h, selfAttention(layerNorm(h, blk.norm1), blk.attn, numHeads), blk.dropPath, drawRng); // [B, 1 + T', D]
      const mlp = linearTokens(gelu(linearTokens(layerNorm(h, blk.norm2), blk.fc1)), blk.fc2); // [B, 1 + T', D]
      h = residual(h, mlp, blk.dropPath, drawRng);
    }
    h = layerNorm(h, finalNorm);
    return {
      cls: tf.reshape(tf.slice(h, [0, 0, 0], [B, 1, D]), [B, D]) as tf.Tensor2D, // CLS token [B, D]
      patches: tf.slice(h, [0, 1, 0], [B, T, D]) as tf.Tensor3D, // [B, T', D]
    };
  };

  return {
    featureDim: D,
    numPatches,
    dropPathRates,
    forward(x, isTraining, rng) {
      // Views of another size (DINO's local crops) get pos_embed resized as forwardTokens.
      if (x.rank !== 4 || x.shape[1] !== x.shape[2] || x.shape[1] % p !== 0 || x.shape[3] !== 3) {
        throw new Error(`ViT expects square [B, S', S', 3] views with S' a multiple of the patch size ${p} (built for ${S}×${S}), got [${x.shape}]`);
      }
      return tf.tidy(() => {
        const { cls, patches } = encode(x, isTraining, rng, null);
        patches.dispose();
        return cls;
      });
    },
    forwardTokens(x, isTraining, rng, mask) {
      if (x.rank !== 4 || x.shape[1] !== x.shape[2] || x.shape[1] % p !== 0 || x.shape[3] !== 3) {
        throw new Error(`ViT forwardTokens expects square [B, S', S', 3] views with S' a multiple of the patch size ${p}, got [${x.shape}]`);
      }
      const [cls, patches] = tf.tidy(() => {
        const t = encode(x, isTraining, rng, mask);
        return [t.cls, t.patches] as [tf.Tensor2D, tf.Tensor3D];
      });
      return { cls, patches };
    },
    isNoDecay(name) {
      return noDecay.has(name);
    },
  };
}

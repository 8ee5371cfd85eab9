/**
 * Deterministic weight initialisers that draw from our seeded Rng (never tf.randomNormal), so the
 * same seed gives bit-identical weights on every backend and in Node.
 *
 * The schemes are PyTorch's defaults for the modules the authors' SimSiam model is built from:
 * - Conv2d in torchvision ResNet: kaiming_normal_(mode='fan_out', nonlinearity='relu'),
 *   std = √2 / √(outChannels·kh·kw).
 * - nn.Linear default reset_parameters: weight kaiming_uniform_(a=√5), i.e. U(±1/√fanIn);
 *   bias U(±1/√fanIn).
 * - ViT (DINO's vision_transformer.py, timm): trunc_normal(std .02) for Linear weights, pos_embed
 *   and cls_token; Linear biases 0; LayerNorm weight 1, bias 0 (see models/vit.ts).
 * - BatchNorm: weight 1, bias 0, running_mean 0, running_var 1; with torchvision's
 *   zero_init_residual=True the last BN of every residual block starts with weight 0.
 * Sources: torchvision/models/resnet.py (ResNet.__init__), torch/nn/modules/linear.py,
 * He et al. 2015 (arXiv 1502.01852), Goyal et al. 2017 (arXiv 1706.02677) for zero-init residual.
 *
 * Values are produced in the storage order of our tfjs layouts (conv HWIO, linear [in, out]).
 * Each parameter gets its own stream, `deriveSeed(seed, 'init:' + name)`, so adding or
 * reordering parameters never changes the values of the others.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import { createRng, deriveSeed, type Rng } from '../random';

/** The Rng stream that initialises the parameter `name` of a model seeded with `seed`. */
export function paramRng(seed: number, name: string): Rng {
  return createRng(deriveSeed(seed, `init:${name}`));
}

/** Product of a shape's dimensions. */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Kaiming-normal values for a conv kernel in HWIO layout [kh, kw, cin, cout]
 * (fan_out mode, ReLU gain √2), as torchvision ResNet convolutions.
 */
export function kaimingNormalConv(rng: Rng, shape: readonly [number, number, number, number]): Float32Array {
  const [kh, kw, , cout] = shape;
  const fanOut = cout * kh * kw;
  const std = Math.SQRT2 / Math.sqrt(fanOut);
  const out = new Float32Array(shapeSize(shape));
  for (let i = 0; i < out.length; i++) out[i] = rng.normal() * std;
  return out;
}

/**
 * PyTorch nn.Linear default weight for an [in, out] matrix: kaiming_uniform_(a=√5), which is
 * U(−b, b) with b = gain·√(3/fanIn), gain = √(2/(1+a²)) = √(1/3), hence b = 1/√fanIn.
 */
export function linearWeightUniform(rng: Rng, fanIn: number, fanOut: number): Float32Array {
  const a = Math.sqrt(5);
  const gain = Math.sqrt(2 / (1 + a * a));
  const bound = gain * Math.sqrt(3 / fanIn);
  const out = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-bound, bound);
  return out;
}

/** PyTorch nn.Linear default bias: U(±1/√fanIn), `size` values. */
export function linearBiasUniform(rng: Rng, fanIn: number, size: number): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  const out = new Float32Array(size);
  for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-bound, bound);
  return out;
}

/**
 * `size` draws of a normal(0, std²) truncated to [lo, hi] by redrawing, as timm's trunc_normal_
 * (which DINO's and timm's ViTs use with std 0.02 for linear weights, pos_embed and cls_token).
 * NOTE: timm's bounds a, b are absolute values (default ±2), not multiples of std, so at std 0.02
 * the truncation practically never triggers; the defaults here are the same absolute ±2.
 */
export function truncNormal(rng: Rng, size: number, std: number, lo = -2, hi = 2): Float32Array {
  if (!(std > 0) || !(lo < hi)) throw new RangeError(`truncNormal needs std > 0 and lo < hi, got std ${std}, [${lo}, ${hi}]`);
  if (lo > 6 * std || hi < -6 * std) throw new RangeError(`truncNormal: [${lo}, ${hi}] holds almost no mass of N(0, ${std}²)`);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    let v = rng.normal() * std;
    while (v < lo || v > hi) v = rng.normal() * std;
    out[i] = v;
  }
  return out;
}

/** A constant vector (BN weight 1 / bias 0 / running_mean 0 / running_var 1). */
export function constantValues(size: number, value: number): Float32Array {
  return new Float32Array(size).fill(value);
}

/** Initial BatchNorm values. With `isZeroGamma` (zero_init_residual) the weight starts at 0. */
export function batchNormInit(
  numChannels: number,
  isZeroGamma = false,
): { weight: Float32Array; bias: Float32Array; runningMean: Float32Array; runningVar: Float32Array } {
  return {
    weight: constantValues(numChannels, isZeroGamma ? 0 : 1),
    bias: constantValues(numChannels, 0),
    runningMean: constantValues(numChannels, 0),
    runningVar: constantValues(numChannels, 1),
  };
}

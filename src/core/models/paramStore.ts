/**
 * ParamStore: creates a model's named tf.Variables (PyTorch state_dict names as map keys) and
 * keeps them in two maps, trainable `params` and non-trainable `buffers` (BN running stats).
 *
 * tfjs registers every variable under a global name and refuses duplicates, so each store gets a
 * unique scope and the tfjs name is `<scope>/<name>`; the maps are keyed by the bare `<name>`
 * (e.g. `backbone.layer1.0.conv1.weight`), which is what checkpoints and exporters use.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import {
  batchNormInit,
  kaimingNormalConv,
  linearBiasUniform,
  linearWeightUniform,
  paramRng,
  shapeSize,
} from './init';
import type { Rng } from '../random';
import type { BatchNormVars, LinearVars } from './layers';

let nextScopeId = 0;

/** Builder and owner of a model's variables. */
export interface ParamStore {
  /** The seed every initial value is drawn from (per-parameter streams, see init.ts). */
  readonly seed: number;
  /** Trainable variables by name. */
  readonly params: Map<string, tf.Variable>;
  /** Non-trainable buffers (BN running_mean / running_var) by name. */
  readonly buffers: Map<string, tf.Variable>;
  /** Names of BatchNorm modules (e.g. `backbone.bn1`), in creation order. */
  readonly batchNormNames: string[];
  /** A conv kernel `<name>` in HWIO layout [k, k, cin, cout], kaiming-normal (fan_out, relu). */
  convWeight(name: string, k: number, cin: number, cout: number): tf.Variable;
  /** A linear module `<name>.weight` ([in, out]) and optional `<name>.bias`, PyTorch default init. */
  linear(name: string, inDim: number, outDim: number, hasBias: boolean): LinearVars;
  /** A BatchNorm module: `<name>.weight/.bias` (if affine) and `<name>.running_mean/.running_var`. */
  batchNorm(name: string, numChannels: number, opts?: { isAffine?: boolean; isZeroGamma?: boolean }): BatchNormVars;
  /**
   * A trainable tensor `name` of any shape whose initial values `draw` produces (in tfjs storage
   * order) from the parameter's own stream, e.g. truncNormal for ViT weights.
   */
  param(name: string, shape: number[], draw: (rng: Rng, size: number) => Float32Array): tf.Variable;
  /** Disposes every variable of the store. */
  dispose(): void;
}

/** Creates an empty store whose initial values are drawn from streams of `seed`. */
export function createParamStore(seed: number, scopeName = 'model'): ParamStore {
  const scope = `${scopeName}_${nextScopeId++}`;
  const params = new Map<string, tf.Variable>();
  const buffers = new Map<string, tf.Variable>();
  const batchNormNames: string[] = [];

  const add = (name: string, values: Float32Array, shape: number[], isTrainable: boolean): tf.Variable => {
    if (params.has(name) || buffers.has(name)) throw new Error(`Duplicate parameter name "${name}"`);
    const v = tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32'), isTrainable, `${scope}/${name}`));
    (isTrainable ? params : buffers).set(name, v);
    return v;
  };

  return {
    seed,
    params,
    buffers,
    batchNormNames,
    convWeight(name, k, cin, cout) {
      const shape: [number, number, number, number] = [k, k, cin, cout];
      return add(name, kaimingNormalConv(paramRng(seed, name), shape), shape, true);
    },
    linear(name, inDim, outDim, hasBias) {
      const wName = `${name}.weight`;
      const weight = add(wName, linearWeightUniform(paramRng(seed, wName), inDim, outDim), [inDim, outDim], true);
      if (!hasBias) return { weight };
      const bName = `${name}.bias`;
      const bias = add(bName, linearBiasUniform(paramRng(seed, bName), inDim, outDim), [outDim], true);
      return { weight, bias };
    },
    batchNorm(name, numChannels, opts = {}) {
      const isAffine = opts.isAffine ?? true;
      const init = batchNormInit(numChannels, opts.isZeroGamma ?? false);
      batchNormNames.push(name);
      const shape = [numChannels];
      return {
        name,
        weight: isAffine ? add(`${name}.weight`, init.weight, shape, true) : undefined,
        bias: isAffine ? add(`${name}.bias`, init.bias, shape, true) : undefined,
        runningMean: add(`${name}.running_mean`, init.runningMean, shape, false),
        runningVar: add(`${name}.running_var`, init.runningVar, shape, false),
      };
    },
    param(name, shape, draw) {
      const size = shapeSize(shape);
      const values = draw(paramRng(seed, name), size);
      if (values.length !== size) throw new RangeError(`Initialiser of "${name}" gave ${values.length} values for shape [${shape.join(', ')}] (${size})`);
      return add(name, values, shape, true);
    },
    dispose() {
      for (const v of params.values()) v.dispose();
      for (const v of buffers.values()) v.dispose();
      params.clear();
      buffers.clear();
    },
  };
}

/**
 * Exports the backbone as a TensorFlow.js LayersModel: `model.json` (Keras functional topology +
 * weightsManifest) and one weights .bin, loadable with tf.loadLayersModel in any tfjs app. The
 * topology is written as plain JSON (no tfjs-layers objects are built here), mirroring
 * models/resnetCifar.ts layer by layer:
 *   conv k×k stride s, PyTorch padding p   → Conv2D 'same' when s = 1 (tfjs pads (k−1)/2 each side,
 *                                            = p), else ZeroPadding2D(p) + Conv2D 'valid' (tfjs
 *                                            'same' at stride 2 pads bottom/right only)
 *   BatchNorm (eval, running stats)        → BatchNormalization(epsilon 1e-5)
 *   ReLU / residual add / global avg pool  → Activation('relu') / Add / GlobalAveragePooling2D
 * Layer names are the torch module names (`layer2.0.conv1`), weights `<layer>/kernel|gamma|beta|
 * moving_mean|moving_variance`. Kernels stay HWIO (tfjs' own layout).
 *
 * Input: [batch, S, S, 3] float32 RGB, already NORMALISED by the caller exactly as training does:
 * pixel/255, minus the run's mean, divided by its std per channel (the `normalization` argument:
 * the checkpoint's per-dataset statistics, data/normalization.ts). The model.json's
 * userDefinedMetadata repeats this (normalizeMean, normalizeStd, normalizationSource). Output: pooled features [batch, 8·width].
 * Only the ResNet backbones have a LayersModel form here; a ViT backbone is refused with
 * UnsupportedExportError (its weights travel in the checkpoint, whose safetensors use timm names).
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import { UserError } from '../userError';
import type * as tf from '@tensorflow/tfjs';
import { isResNet, RESNET_NAMES, type RunConfig } from '../config/runConfig';
import type { Normalization } from '../data/normalization';
import { BN_EPS } from '../models/layers';
import { RESNET_LAYOUTS } from '../models/resnetCifar';
import { sameShape, shapeText, StateMismatchError, type HostTensor } from '../state/hostTensor';
import { BACKBONE_PREFIX } from './torchStateDict';

/** What the exporter returns: write `modelJson` as model.json and `weightData` under `weightsFileName`. */
export interface LayersModelExport {
  modelJson: tf.io.ModelJSON;
  /** All weights, float32 little-endian, in manifest order. */
  weightData: ArrayBuffer;
  /** Name of the weights file the manifest points to. */
  weightsFileName: string;
}

/** Options of exportBackboneLayersModel. */
export interface LayersModelExportOptions {
  /** Weights file name written into the manifest. Default 'weights.bin'. */
  weightsFileName?: string;
  /** Model name in the topology. Default 'hvp_backbone'. */
  modelName?: string;
}

/** The backbone has no tfjs LayersModel form; `hint` says what to export instead. */
export class UnsupportedExportError extends UserError {
  override name = 'UnsupportedExportError';
}

type Layer = { class_name: string; config: Record<string, unknown>; name: string; inbound_nodes: unknown[] };

/**
 * Builds model.json + weights for the backbone in `modelState` (our names, `backbone.` prefix, our
 * layouts as read from the model's variables). Throws StateMismatchError when the state does not
 * hold exactly the backbone that `cfg` describes.
 */
export function exportBackboneLayersModel(
  modelState: ReadonlyMap<string, HostTensor>,
  cfg: Pick<RunConfig, 'backbone' | 'backboneWidth' | 'imageSize'>,
  normalization: Normalization,
  options: LayersModelExportOptions = {},
): LayersModelExport {
  const backbone = cfg.backbone;
  if (!isResNet(backbone)) {
    throw new UnsupportedExportError(
      `The tfjs export supports the ResNet backbones (${RESNET_NAMES.join(', ')}); this run's backbone is "${backbone}". Export the checkpoint instead.`,
      "The checkpoint's safetensors hold the ViT under timm's state_dict names (backbone.blocks.0.attn.qkv.weight, …) in PyTorch layouts, ready for timm's VisionTransformer.",
    );
  }
  const weightsFileName = options.weightsFileName ?? 'weights.bin';
  const w = cfg.backboneWidth;
  const layers: Layer[] = [];
  const specs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Float32Array[] = [];
  const used = new Set<string>();

  const take = (key: string, shape: number[]): Float32Array => {
    const t = modelState.get(BACKBONE_PREFIX + key);
    if (!t) throw new StateMismatchError(`Cannot export the backbone: "${BACKBONE_PREFIX}${key}" is missing from the model state (${cfg.backbone}, width ${w}).`);
    if (t.dtype !== 'float32' || !sameShape(t.shape, shape)) {
      throw new StateMismatchError(`Cannot export the backbone: "${BACKBONE_PREFIX}${key}" is ${t.dtype} ${shapeText(t.shape)}, expected float32 ${shapeText(shape)}.`);
    }
    used.add(BACKBONE_PREFIX + key);
    return t.data as Float32Array;
  };
  const addWeight = (name: string, data: Float32Array, shape: number[]): void => {
    specs.push({ name, shape, dtype: 'float32' });
    chunks.push(data);
  };
  /** Appends a layer fed by `inputs` (layer names); returns its name. */
  const add = (className: string, name: string, inputs: string[], config: Record<string, unknown> = {}): string => {
    layers.push({
      class_name: className,
      config: { name, trainable: true, dtype: 'float32', ...config },
      name,
      inbound_nodes: inputs.length ? [inputs.map((i) => [i, 0, 0, {}])] : [],
    });
    return name;
  };
  /** Conv (no bias) + BN with torch padding `pad`; returns the BN layer's name. */
  const convBn = (input: string, convKey: string, bnKey: string, k: number, cin: number, cout: number, stride: number, pad: number): string => {
    let x = input;
    let padding = 'valid';
    if (stride === 1 && 2 * pad === k - 1) padding = 'same';
    else if (pad > 0) x = add('ZeroPadding2D', `${convKey}.pad`, [x], { padding: [[pad, pad], [pad, pad]], data_format: 'channels_last' });
    x = add('Conv2D', convKey, [x], {
      filters: cout, kernel_size: [k, k], strides: [stride, stride], padding, data_format: 'channels_last',
      dilation_rate: [1, 1], activation: 'linear', use_bias: false,
    });
    addWeight(`${convKey}/kernel`, take(`${convKey}.weight`, [k, k, cin, cout]), [k, k, cin, cout]); // HWIO
    x = add('BatchNormalization', bnKey, [x], { axis: -1, momentum: 0.9 /* = 1 − torch's 0.1 */, epsilon: BN_EPS, center: true, scale: true });
    addWeight(`${bnKey}/gamma`, take(`${bnKey}.weight`, [cout]), [cout]);
    addWeight(`${bnKey}/beta`, take(`${bnKey}.bias`, [cout]), [cout]);
    addWeight(`${bnKey}/moving_mean`, take(`${bnKey}.running_mean`, [cout]), [cout]);
    addWeight(`${bnKey}/moving_variance`, take(`${bnKey}.running_var`, [cout]), [cout]);
    return x;
  };

  const input = add('InputLayer', 'input', [], { batch_input_shape: [null, cfg.imageSize, cfg.imageSize, 3], sparse: false });
  let x = add('Activation', 'relu', [convBn(input, 'conv1', 'bn1', 3, 3, w, 1, 1)], { activation: 'relu' }); // [B, S, S, w]
  let inPlanes = w;
  RESNET_LAYOUTS[backbone].forEach((numBlocks, s) => {
    const planes = w * 2 ** s;
    for (let b = 0; b < numBlocks; b++) {
      const name = `layer${s + 1}.${b}`;
      const stride = s > 0 && b === 0 ? 2 : 1;
      let out = convBn(x, `${name}.conv1`, `${name}.bn1`, 3, inPlanes, planes, stride, 1);
      out = add('Activation', `${name}.relu1`, [out], { activation: 'relu' });
      out = convBn(out, `${name}.conv2`, `${name}.bn2`, 3, planes, planes, 1, 1);
      const identity = stride !== 1 || inPlanes !== planes
        ? convBn(x, `${name}.downsample.0`, `${name}.downsample.1`, 1, inPlanes, planes, stride, 0)
        : x;
      x = add('Activation', `${name}.relu2`, [add('Add', `${name}.add`, [out, identity])], { activation: 'relu' }); // [B, S/2^s, S/2^s, planes]
      inPlanes = planes;
    }
  });
  const output = add('GlobalAveragePooling2D', 'avgpool', [x], { data_format: 'channels_last' }); // [B, 8w]

  const unused = [...modelState.keys()].filter((k) => k.startsWith(BACKBONE_PREFIX) && !used.has(k));
  if (unused.length) throw new StateMismatchError(`Cannot export the backbone: the model state has tensors a ${cfg.backbone} of width ${w} does not use: ${unused.slice(0, 5).join(', ')}.`);

  const weightData = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    weightData.set(c, offset);
    offset += c.length;
  }
  const modelJson: tf.io.ModelJSON = {
    format: 'layers-model',
    generatedBy: 'HVP Playground (core/checkpoint/layersModelExport.ts)',
    convertedBy: null,
    modelTopology: {
      class_name: 'Model',
      config: { name: options.modelName ?? 'hvp_backbone', layers, input_layers: [[input, 0, 0]], output_layers: [[output, 0, 0]] },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [{ paths: [weightsFileName], weights: specs }],
    userDefinedMetadata: {
      input: 'float32 [batch, S, S, 3] RGB: pixel / 255, then (x - normalizeMean) / normalizeStd per channel',
      normalizeMean: [...normalization.mean],
      normalizeStd: [...normalization.std],
      normalizationSource: normalization.source,
      imageSize: cfg.imageSize,
      backbone: cfg.backbone,
      backboneWidth: w,
      output: `backbone features [batch, ${inPlanes}] (global average pool, eval-mode BatchNorm)`,
    },
  };
  return { modelJson, weightData: weightData.buffer, weightsFileName };
}

/** The export as in-memory model artifacts, e.g. for tf.loadLayersModel(tf.io.fromMemory(...)). */
export function layersModelArtifacts(exported: LayersModelExport): tf.io.ModelArtifacts {
  const { modelJson, weightData } = exported;
  return {
    modelTopology: modelJson.modelTopology,
    weightSpecs: modelJson.weightsManifest.flatMap((group) => group.weights),
    weightData,
    userDefinedMetadata: modelJson.userDefinedMetadata,
    format: modelJson.format,
    generatedBy: modelJson.generatedBy,
    convertedBy: modelJson.convertedBy,
  };
}

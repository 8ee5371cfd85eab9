/**
 * Shapes of a CIFAR ResNet-18 backbone at width 16 (the layout of src/core/models/resnetCifar.ts:
 * 3×3 stem, BasicBlocks [2,2,2,2] with widths 16/32/64/128, stride 2 + 1×1 downsample at the first block
 * of stages 2–4) for batch 32 of 32×32 images: the variable set an optimizer updates each step, and the
 * conv filter gradients a training step computes.
 * Must not import: src/worker, src/ui.
 */

/** One trainable tensor of the backbone (torchvision name). */
export interface VarShape {
  name: string;
  shape: number[];
}

/** One conv filter-gradient computation of a training step. */
export interface ConvGradShape {
  name: string;
  /** Input of the conv [N, H, W, Cin]. */
  x: [number, number, number, number];
  /** Filter [kh, kw, Cin, Cout]. */
  filter: [number, number, number, number];
  stride: number;
  pad: number;
  /** How many convs of the backbone have exactly this shape. */
  count: number;
}

const LAYOUT = [2, 2, 2, 2];

/** Trainable variables of ResNet-18 (CIFAR) at `width` (conv weights, BN γ and β). */
export function resnetVariables(width = 16): VarShape[] {
  const vars: VarShape[] = [];
  const conv = (name: string, k: number, cin: number, cout: number) =>
    vars.push({ name: `${name}.weight`, shape: [k, k, cin, cout] });
  const bn = (name: string, c: number) =>
    vars.push({ name: `${name}.weight`, shape: [c] }, { name: `${name}.bias`, shape: [c] });
  conv('conv1', 3, 3, width);
  bn('bn1', width);
  let inPlanes = width;
  LAYOUT.forEach((numBlocks, s) => {
    const planes = width * 2 ** s;
    for (let b = 0; b < numBlocks; b++) {
      const name = `layer${s + 1}.${b}`;
      conv(`${name}.conv1`, 3, inPlanes, planes);
      bn(`${name}.bn1`, planes);
      conv(`${name}.conv2`, 3, planes, planes);
      bn(`${name}.bn2`, planes);
      if (s > 0 && b === 0) {
        conv(`${name}.downsample.0`, 1, inPlanes, planes);
        bn(`${name}.downsample.1`, planes);
      }
      inPlanes = planes;
    }
  });
  return vars;
}

/** Distinct conv filter-gradient shapes of one ResNet-18 training step, with their multiplicity. */
export function resnetConvGrads(width = 16, batch = 32, size = 32): ConvGradShape[] {
  const byKey = new Map<string, ConvGradShape>();
  const add = (name: string, hw: number, k: number, cin: number, cout: number, stride: number) => {
    const pad = k === 3 ? 1 : 0;
    const key = `${hw}_${k}_${cin}_${cout}_${stride}`;
    const prev = byKey.get(key);
    if (prev) prev.count += 1;
    else byKey.set(key, { name, x: [batch, hw, hw, cin], filter: [k, k, cin, cout], stride, pad, count: 1 });
  };
  add('stem', size, 3, 3, width, 1);
  let inPlanes = width;
  let hw = size;
  LAYOUT.forEach((numBlocks, s) => {
    const planes = width * 2 ** s;
    for (let b = 0; b < numBlocks; b++) {
      const stride = s > 0 && b === 0 ? 2 : 1;
      const name = `layer${s + 1}.${b}`;
      add(`${name}.conv1`, hw, 3, inPlanes, planes, stride);
      if (stride === 2) add(`${name}.downsample`, hw, 1, inPlanes, planes, 2);
      hw = hw / stride;
      add(`${name}.conv2`, hw, 3, planes, planes, 1);
      inPlanes = planes;
    }
  });
  return [...byKey.values()];
}

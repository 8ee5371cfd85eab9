/**
 * WGSL implementation of the op 'HvpPairSelect' (contract + reference: core/ops/pairSelect.ts):
 * per-sample loss of every view pair of every image and the selected pair per image.
 *
 * Two dispatches, because a tfjs program has exactly ONE writable binding (binding 0) and the two
 * outputs have different dtypes (float32 losses, int32 indices):
 *   1. pairLosses: one workgroup per image. Every thread strides over the feature axis D (vec4
 *      loads when D % 4 = 0) and accumulates, in scalar registers (the code is unrolled over the
 *      N views), all per-image quantities the P pair losses need (N² cross terms and 2N row terms,
 *      below); one workgroup tree reduction (all quantities at once) follows; then thread p writes
 *      pair loss p. Each input row is read once (twice for crossEntropy: max pass + sum pass).
 *        negCosine:    dot[k,l] = Σ a_k·b_l, Σ a_k², Σ b_l²;   f = −dot / (max(‖a‖,ε)·max(‖b‖,ε))
 *        crossEntropy: a max pass first (max a_k, max b_l), then with â = a − max a and
 *                      t = exp(b − max b): E[k,l] = Σ t_l·â_k, Za_k = Σ exp(â_k), Zb_l = Σ t_l;
 *                      f(a_k, b_l) = log Za_k − E[k,l] / Zb_l  (= −Σ softmax(b_l)·log_softmax(a_k)).
 *                      Shifting a by its max bounds the terms by log K and by the logit range R
 *                      (log Za ∈ [0, log K], E/Zb ∈ [−R, 0]), so large logits do not cancel.
 *        ntXentLogits: a = b = G [N·M, N·M] (SimCLR's logits from a tfjs matmul); per image the N²
 *                      block maxima and block sums of exp over M columns (ntXentLossProgram), then
 *                      the pair's two NT-Xent rows (contract in core/ops/pairSelect.ts).
 *   2. select: one thread per image scans its P losses with a strict comparison (ties → earlier
 *      pair; a NaN anywhere in the row → pair 0, as the reference), writing int32 [M].
 * Packing both results into one float32 output would need slice + cast dispatches to split it
 * (3–4 dispatches and two copies), so the tiny second program is the cheaper way. Nothing is read
 * back to the CPU.
 *
 * N is baked into the shader (unrolled accumulators, workgroup array size), so the shader key carries
 * it; M, D and P come from tfjs's built-in shape uniforms. Workgroup size WG = 32: one warp / SIMD32
 * subgroup on most GPUs, so the tree reduction's barriers are cheap; the work per image is small
 * (N·D loads) and M workgroups run in parallel. Measured on SwiftShader (bench/pairKernel, N = 4,
 * M = 64, D = 256, single runs on a loaded 2-core machine): 4.5 ms at WG = 32, 16 ms at 64, ~170 ms
 * at 128 (SwiftShader's barriers cost time per invocation).
 * The workgroup array holds NQ·WG floats (NQ = N² + 2N), 10 KiB at N = 8, under WebGPU's default
 * 16 KiB maxComputeWorkgroupStorageSize; WG shrinks if a larger N would exceed it.
 * Paper: Hard View Pretraining, arXiv 2310.03940; authors' code automl/hvp.
 * Must not import: core/ (except core/ops), worker/, ui/, DOM.
 */
import * as tf from '@tensorflow/tfjs';
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { checkPairSelect, PAIR_SELECT, PairSelectError, type PairScore, type PairSelectAttrs, type PairSelectMode } from '../../core/ops/pairSelect';
import { requireInputs } from '../flatProgram';

/** Workgroup storage the loss program may use, in f32 (16 KiB: WebGPU's default limit). */
const WORKGROUP_FLOATS = 4096;

/** Preferred threads per workgroup of the loss program (see the file header). */
const PREFERRED_WORKGROUP = 32;

/** Largest number of images (workgroups along x) one dispatch may have. */
const MAX_IMAGES = 65535;

/** Per-image quantities reduced over D: N² cross terms + N terms of a + N terms of b. */
export const numQuantities = (numViews: number): number => numViews * numViews + 2 * numViews;

/** Threads per workgroup of the loss program for N views: 32, or a smaller power of two for N > 8. */
export function pairLossWorkgroupSize(numViews: number): number {
  const cap = Math.min(PREFERRED_WORKGROUP, Math.floor(WORKGROUP_FLOATS / numQuantities(numViews)));
  return 2 ** Math.floor(Math.log2(cap));
}

/** `f(k)` for k = 0..n-1, joined by newlines (the loss program is unrolled over views). */
const each = (n: number, f: (k: number) => string): string => Array.from({ length: n }, (_, k) => f(k)).join('\n');

/** The score-specific WGSL pieces of the loss program; `T` is f32 or vec4<f32>, `k` a view. */
interface ScoreSnippets {
  /** Statements before the main pass (CE: row maxima xa<k>, xb<k>). */
  prePass: (numViews: number) => string;
  loadA: (k: number) => string;
  loadB: (k: number) => string;
  /** Per-view row terms added to ra<k>, rb<k>. */
  rowA: (k: number) => string;
  rowB: (k: number) => string;
  /** Body of `fn score(k, l) -> f32` from the reduced totals. */
  f: string;
}

function scoreSnippets(score: Exclude<PairScore, 'ntXentLogits'>): ScoreSnippets {
  if (score === 'negCosine') {
    return {
      prePass: () => '',
      loadA: (k) => `a[i${k}]`,
      loadB: (k) => `b[i${k}]`,
      rowA: (k) => `dotT(av${k}, av${k})`,
      rowB: (k) => `dotT(bv${k}, bv${k})`,
      f: `return -total(k * NV + l) / (max(sqrt(total(NN + k)), COS_EPS) * max(sqrt(total(NN + NV + l)), COS_EPS));`,
    };
  }
  return {
    // Row maxima of a (slots 0..N-1) and b (N..2N-1), reduced like the sums, then kept in registers.
    prePass: (n) => `
      ${each(n, (k) => `var ma${k} = LOWEST; var mb${k} = LOWEST;`)}
      for (var d = t; d < D4; d = d + WG) {
        ${each(n, (k) => `let i${k} = (${k} * M + m) * D4 + d; ma${k} = max(ma${k}, maxT(a[i${k}])); mb${k} = max(mb${k}, maxT(b[i${k}]));`)}
      }
      ${each(n, (k) => `red[${k} * WG + t] = ma${k}; red[(NV + ${k}) * WG + t] = mb${k};`)}
      reduceWorkgroup(2 * NV, true);
      ${each(n, (k) => `let xa${k} = T(red[${k} * WG]); let xb${k} = T(red[(NV + ${k}) * WG]);`)}
      workgroupBarrier(); // everyone has read the maxima before red is reused`,
    loadA: (k) => `a[i${k}] - xa${k}`,
    loadB: (k) => `exp(b[i${k}] - xb${k})`,
    rowA: (k) => `sumT(exp(av${k}))`,
    rowB: (k) => `sumT(bv${k})`,
    f: `return log(total(NN + k)) - total(k * NV + l) / total(NN + NV + l);`,
  };
}

/**
 * Program 1: pair losses [M, P] of every image, one workgroup per image. The per-thread pass is
 * unrolled over the N views (N is baked in), so the N² + 2N accumulators are scalar registers, not a
 * dynamically indexed private array; rows are read as vec4 when D is a multiple of 4.
 */
function pairLossProgram(
  numViews: number,
  numImages: number,
  numPairs: number,
  dim: number,
  score: Exclude<PairScore, 'ntXentLogits'>,
): WebGPUProgram {
  const wg = pairLossWorkgroupSize(numViews);
  const nq = numQuantities(numViews);
  const c = dim % 4 === 0 ? 4 : 1;
  const T = c === 4 ? 'vec4<f32>' : 'f32';
  const s = scoreSnippets(score);
  const pairs = Array.from({ length: numViews }, (_, k) => Array.from({ length: numViews }, (_, l) => [k, l] as const)).flat();
  return {
    variableNames: ['a', 'b'],
    variableComponents: [c, c],
    outputShape: [numImages, numPairs],
    shaderKey: `hvpPairLosses_${score}_n${numViews}_wg${wg}_c${c}`,
    dispatchLayout: { x: [0, 1] },
    dispatch: [numImages, 1, 1],
    workgroupSize: [wg, 1, 1],
    getUserCode: () => `
      alias T = ${T};
      const NV = ${numViews};
      const NN = ${numViews * numViews};
      const NP = ${numPairs};
      const WG = ${wg};
      const COS_EPS = 1e-8;
      const LOWEST = bitcast<f32>(0xff7fffffu); // lowest finite f32
      var<workgroup> red: array<f32, ${nq * wg}>; // [quantity, thread]

      fn sumT(x : T) -> f32 { ${c === 4 ? 'return dot(x, vec4<f32>(1.0));' : 'return x;'} }
      fn dotT(x : T, y : T) -> f32 { ${c === 4 ? 'return dot(x, y);' : 'return x * y;'} }
      fn maxT(x : T) -> f32 { ${c === 4 ? 'return max(max(x.x, x.y), max(x.z, x.w));' : 'return x;'} }

      // Reduces red[q·WG + 0..WG) into red[q·WG] for q < count, all quantities in each tree level.
      fn reduceWorkgroup(count : i32, isMax : bool) {
        workgroupBarrier();
        let t = i32(localIndex);
        for (var s = WG / 2; s > 0; s = s / 2) {
          for (var i = t; i < count * s; i = i + WG) {
            let j = (i / s) * WG + i % s;
            if (isMax) { red[j] = max(red[j], red[j + s]); } else { red[j] = red[j] + red[j + s]; }
          }
          workgroupBarrier();
        }
      }

      fn total(q : i32) -> f32 { return red[q * WG]; }

      // Score f(a_k, b_l) of one ordered view pair from the reduced totals.
      fn score(k : i32, l : i32) -> f32 { ${s.f} }

      fn main(index : i32) {
        let t = i32(localIndex);
        let M = uniforms.outShape.x;
        let D4 = uniforms.aShape.y / ${c}; // row length in T elements
        let image = i32(workgroupId.x);
        let m = min(image, M - 1); // dispatch is exactly [M, 1, 1]; the clamp only keeps loads in bounds
        ${s.prePass(numViews)}
        ${each(numViews, (k) => `var ra${k} = 0.0; var rb${k} = 0.0;`)}
        ${pairs.map(([k, l]) => `var c${k}_${l} = 0.0;`).join(' ')}
        for (var d = t; d < D4; d = d + WG) {
          ${each(numViews, (k) => `let i${k} = (${k} * M + m) * D4 + d; let av${k} = ${s.loadA(k)}; let bv${k} = ${s.loadB(k)};`)}
          ${each(numViews, (k) => `ra${k} = ra${k} + ${s.rowA(k)}; rb${k} = rb${k} + ${s.rowB(k)};`)}
          ${pairs.map(([k, l]) => `c${k}_${l} = c${k}_${l} + dotT(av${k}, bv${l});`).join('\n')}
        }
        ${pairs.map(([k, l]) => `red[${k * numViews + l} * WG + t] = c${k}_${l};`).join(' ')}
        ${each(numViews, (k) => `red[(NN + ${k}) * WG + t] = ra${k}; red[(NN + NV + ${k}) * WG + t] = rb${k};`)}
        reduceWorkgroup(${nq}, false);
        for (var p = t; p < NP; p = p + WG) {
          // pair p = (k, l), k < l, in combinations order
          var k = 0;
          var rest = p;
          while (rest >= NV - 1 - k) { rest = rest - (NV - 1 - k); k = k + 1; }
          let l = k + 1 + rest;
          if (image < M) { result[image * NP + p] = 0.5 * (score(k, l) + score(l, k)); }
        }
      }`,
  };
}

/**
 * Program 1 for score 'ntXentLogits' (SimCLR): pair losses [M, P] from the logit matrix G [N·M, N·M],
 * one workgroup per image m. Image m's N rows G[km, ·] split into N blocks of M columns (block l =
 * views l of all images); threads stride over the M columns j of every block at once (unrolled over
 * the N² blocks, the self column j = m of block k excluded):
 *   pass 1: block maxima  X[k,l] = max_j G[km, lM + j];
 *   pass 2: block sums    S[k,l] = Σ_j exp(G[km, lM + j] − X[k,l]);
 * each followed by one workgroup tree reduction of all N² quantities. Thread p then writes pair p:
 *   row(k→l) = h + log(exp(X[k,k] − h)·S[k,k] + exp(X[k,l] − h)·S[k,l]) − G[km, lm],  h = max(X[k,k], X[k,l])
 *   loss = ½·(row(k→l) + row(l→k)), the positive G[km, lm] read from b.
 * Shifting each block by its own maximum keeps every exp ≤ 1 and the larger block's sum ≥ 1, so no
 * temperature underflows (logits span 2/T). With M = 1 block (k, k) is empty: X = lowest f32, S = 0.
 */
function ntXentLossProgram(numViews: number, numImages: number, numPairs: number): WebGPUProgram {
  const wg = pairLossWorkgroupSize(numViews);
  const nn = numViews * numViews;
  const blocks = Array.from({ length: numViews }, (_, k) => Array.from({ length: numViews }, (_, l) => [k, l] as const)).flat();
  /** G[km, lM + j] of block (k, l), or `skip` for the self column of a diagonal block. */
  const load = (k: number, l: number, skip: string, f: (v: string) => string): string =>
    k === l ? `select(${skip}, ${f(`a[r${k} + ${l} * M + j]`)}, j != m)` : f(`a[r${k} + ${l} * M + j]`);
  return {
    variableNames: ['a', 'b'],
    outputShape: [numImages, numPairs],
    shaderKey: `hvpPairLosses_ntXentLogits_n${numViews}_wg${wg}`,
    dispatchLayout: { x: [0, 1] },
    dispatch: [numImages, 1, 1],
    workgroupSize: [wg, 1, 1],
    getUserCode: () => `
      const NV = ${numViews};
      const NN = ${nn};
      const NP = ${numPairs};
      const WG = ${wg};
      const LOWEST = bitcast<f32>(0xff7fffffu); // lowest finite f32
      var<workgroup> red: array<f32, ${nn * wg}>; // [block, thread]
      var<workgroup> blockMax: array<f32, ${nn}>;

      // Reduces red[q·WG + 0..WG) into red[q·WG] for q < count, all quantities in each tree level.
      fn reduceWorkgroup(count : i32, isMax : bool) {
        workgroupBarrier();
        let t = i32(localIndex);
        for (var s = WG / 2; s > 0; s = s / 2) {
          for (var i = t; i < count * s; i = i + WG) {
            let j = (i / s) * WG + i % s;
            if (isMax) { red[j] = max(red[j], red[j + s]); } else { red[j] = red[j] + red[j + s]; }
          }
          workgroupBarrier();
        }
      }

      // NT-Xent row loss of anchor view k of image m against view l (reduced maxima and sums ready).
      fn rowLoss(k : i32, l : i32, m : i32, M : i32, R : i32) -> f32 {
        let xkk = blockMax[k * NV + k];
        let xkl = blockMax[k * NV + l];
        let h = max(xkk, xkl);
        let s = exp(xkk - h) * red[(k * NV + k) * WG] + exp(xkl - h) * red[(k * NV + l) * WG];
        return h + log(s) - b[(k * M + m) * R + l * M + m];
      }

      fn main(index : i32) {
        let t = i32(localIndex);
        let M = uniforms.outShape.x;
        let R = uniforms.aShape.y; // N·M
        let image = i32(workgroupId.x);
        let m = min(image, M - 1); // dispatch is exactly [M, 1, 1]; the clamp only keeps loads in bounds
        ${each(numViews, (k) => `let r${k} = (${k} * M + m) * R;`)}
        ${blocks.map(([k, l]) => `var x${k}_${l} = LOWEST;`).join(' ')}
        for (var j = t; j < M; j = j + WG) {
          ${blocks.map(([k, l]) => `x${k}_${l} = max(x${k}_${l}, ${load(k, l, 'LOWEST', (v) => v)});`).join('\n')}
        }
        ${blocks.map(([k, l]) => `red[${k * numViews + l} * WG + t] = x${k}_${l};`).join(' ')}
        reduceWorkgroup(NN, true);
        for (var q = t; q < NN; q = q + WG) { blockMax[q] = red[q * WG]; }
        ${blocks.map(([k, l]) => `let h${k}_${l} = red[${k * numViews + l} * WG];`).join(' ')}
        workgroupBarrier(); // the maxima are read and copied before red is reused
        ${blocks.map(([k, l]) => `var s${k}_${l} = 0.0;`).join(' ')}
        for (var j = t; j < M; j = j + WG) {
          ${blocks.map(([k, l]) => `s${k}_${l} = s${k}_${l} + ${load(k, l, '0.0', (v) => `exp(${v} - h${k}_${l})`)};`).join('\n')}
        }
        ${blocks.map(([k, l]) => `red[${k * numViews + l} * WG + t] = s${k}_${l};`).join(' ')}
        reduceWorkgroup(NN, false);
        for (var p = t; p < NP; p = p + WG) {
          // pair p = (k, l), k < l, in combinations order
          var k = 0;
          var rest = p;
          while (rest >= NV - 1 - k) { rest = rest - (NV - 1 - k); k = k + 1; }
          let l = k + 1 + rest;
          if (image < M) { result[image * NP + p] = 0.5 * (rowLoss(k, l, m, M, R) + rowLoss(l, k, m, M, R)); }
        }
      }`,
  };
}

/** Program 2: selected pair per image, int32 [M]. */
function selectProgram(numImages: number, mode: PairSelectMode): WebGPUProgram {
  const layout = { x: [0] };
  const workgroupSize: [number, number, number] = [64, 1, 1];
  return {
    variableNames: ['losses'],
    outputShape: [numImages],
    shaderKey: `hvpPairPick_${mode}`,
    dispatchLayout: layout,
    dispatch: webgpu_util.computeDispatch(layout, [numImages], workgroupSize),
    workgroupSize,
    size: true,
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let P = uniforms.lossesShape.y;
          let base = index * P;
          var best = 0;
          var bestValue = losses[base];
          var hasNaN = isnan(bestValue);
          for (var p = 1; p < P; p++) {
            let v = losses[base + p];
            hasNaN = hasNaN || isnan(v);
            if (v ${mode === 'hard' ? '>' : '<'} bestValue) { best = p; bestValue = v; } // strict: ties keep the earlier pair
          }
          result[index] = select(best, 0, hasNaN);
        }
      }`,
  };
}

/** kernelFunc of {@link PAIR_SELECT}: inputs {a, b} [N·M, D] → [pairLosses [M, P] f32, selected [M] i32]. */
function pairSelectKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] {
  const backend = args.backend as WebGPUBackend;
  const attrs = args.attrs as unknown as PairSelectAttrs;
  const { a, b } = requireInputs(PAIR_SELECT, args.inputs, ['a', 'b']);
  const { numPairs, dim } = checkPairSelect(a.shape, b.shape, attrs);
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    throw new PairSelectError(`${PAIR_SELECT} needs float32 inputs, got ${a.dtype} and ${b.dtype}`);
  }
  if (attrs.numImages > MAX_IMAGES) {
    throw new PairSelectError(`${PAIR_SELECT} on WebGPU supports at most ${MAX_IMAGES} images, got ${attrs.numImages}`);
  }
  const program =
    attrs.score === 'ntXentLogits'
      ? ntXentLossProgram(attrs.numViews, attrs.numImages, numPairs)
      : pairLossProgram(attrs.numViews, attrs.numImages, numPairs, dim, attrs.score);
  const losses = backend.runWebGPUProgram(program, [a, b], 'float32');
  const selected = backend.runWebGPUProgram(selectProgram(attrs.numImages, attrs.mode), [losses], 'int32');
  return [losses, selected];
}

/** Registration of {@link PAIR_SELECT} for a WebGPU backend name. */
export const pairSelectConfig = (backendName: string): tf.KernelConfig => ({
  kernelName: PAIR_SELECT,
  backendName,
  kernelFunc: pairSelectKernel as unknown as tf.KernelFunc,
});

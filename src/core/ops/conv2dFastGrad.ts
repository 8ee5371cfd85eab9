/**
 * conv2d with a fast filter gradient (op contract + reference implementation; pure tfjs, every backend).
 *
 * Forward is `tf.conv2d`; the input gradient is the stock one (`conv2dTranspose`, i.e. the kernel
 * Conv2DBackpropInput). The filter gradient avoids tfjs's Conv2DBackpropFilter kernel, which is a serial
 * loop over batch × output pixels per filter weight on both CPU and WebGPU, and instead uses the identity
 *
 *   dW[ky, kx, ci, co] = Σ_{n, oy, ox} x[n, oy·s + ky − padTop, ox·s + kx − padLeft, ci] · dy[n, oy, ox, co]
 *
 * which is an ordinary *forward* convolution of x viewed as a batch of Cin single images with N channels
 * ([Cin, H, W, N]) by dy viewed as a filter ([Ho, Wo, N, Cout]) whose taps sit `s` pixels apart (the
 * forward stride becomes the dilation, the convolution itself has stride 1, so tfjs's "strides or
 * dilations must be 1" rule holds). Top/left padding equals the forward padding; bottom/right padding is
 * chosen so the result is exactly kh × kw, and when that would be negative (rows the forward conv never
 * reads, e.g. 'valid' with a stride that does not divide H − kh) we pad 0 and crop.
 * For 1×1 filters without padding the same identity degenerates to a matrix product,
 * dW[0, 0] = x[:, ::s, ::s, :]ᵀ · dy over the N·Ho·Wo rows, which is computed as one strided slice and one
 * matMul: the dilated-conv form is 10× slower than that on WebGPU (a conv whose whole "filter" is dy has a
 * single output pixel, so its tiles barely parallelise) — see bench/kernels/README.md.
 *
 * Must not import: gpu/, worker/, ui/, DOM or worker globals.
 */
import * as tf from '@tensorflow/tfjs';

/** Padding accepted by {@link conv2dFastGrad}: tfjs 'same' / 'valid', or a symmetric pixel count. */
export type Conv2dPad = 'same' | 'valid' | number;

/**
 * Filter gradient of `conv2d(x, filter, strides, pad)` computed as a forward conv2d of transposed tensors.
 * Exported for tests and benchmarks; models use {@link conv2dFastGrad}.
 *
 * @param x input [N, H, W, Cin]
 * @param dy output gradient [N, Ho, Wo, Cout]
 * @param filterShape [kh, kw, Cin, Cout] (HWIO)
 * @returns dL/dfilter [kh, kw, Cin, Cout]
 */
export function conv2dFilterGrad(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number,
  pad: Conv2dPad,
): tf.Tensor4D {
  const [kh, kw, cin, cout] = filterShape;
  const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad);
  const [, h, w] = x.shape;
  const { outHeight: ho, outWidth: wo } = info;
  if (dy.shape[0] !== x.shape[0] || dy.shape[1] !== ho || dy.shape[2] !== wo || dy.shape[3] !== cout) {
    throw new Error(
      `conv2dFilterGrad: dy shape [${dy.shape}] does not match the conv output [${x.shape[0]},${ho},${wo},${cout}]`,
    );
  }
  const { top, left } = info.padInfo;
  const [n] = x.shape;
  if (kh === 1 && kw === 1 && top === 0 && left === 0) {
    return tf.tidy(() => {
      const end = [n, (ho - 1) * strides + 1, (wo - 1) * strides + 1, cin];
      // [N, Ho, Wo, Cin]: the input pixels the 1×1 conv reads
      const xs = strides === 1 ? x : tf.stridedSlice(x, [0, 0, 0, 0], end, [1, strides, strides, 1]);
      const rows = n * ho * wo;
      const g = tf.matMul(tf.reshape(xs, [rows, cin]), tf.reshape(dy, [rows, cout]), true, false); // [Cin, Cout]
      return tf.reshape(g, [1, 1, cin, cout]); // [kh, kw, Cin, Cout]
    });
  }
  // Padding that makes the stride-1, dilation-s conv produce exactly kh (kw) rows (columns).
  const bottom = kh + (ho - 1) * strides - h - top;
  const right = kw + (wo - 1) * strides - w - left;
  return tf.tidy(() => {
    const xT = tf.transpose(x, [3, 1, 2, 0]); // [Cin, H, W, N]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, N, Cout]
    const explicit: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [top, Math.max(0, bottom)],
      [left, Math.max(0, right)],
      [0, 0],
    ];
    // [Cin, kh + max(0, −bottom), kw + max(0, −right), Cout]
    let g: tf.Tensor4D = tf.conv2d(xT, dyT, 1, explicit, 'NHWC', [strides, strides]);
    if (bottom < 0 || right < 0) g = tf.slice(g, [0, 0, 0, 0], [cin, kh, kw, cout]); // [Cin, kh, kw, Cout]
    return tf.transpose(g, [1, 2, 0, 3]); // [kh, kw, Cin, Cout]
  });
}

/**
 * `tf.conv2d(x, filter, strides, pad)` (NHWC, dilation 1) whose gradient w.r.t. the filter is computed by
 * {@link conv2dFilterGrad} instead of tfjs's Conv2DBackpropFilter kernel. Gradient w.r.t. x is the stock one.
 * Both gradients are computed whenever the tape asks for either (tf.customGrad is not lazy per input).
 *
 * @param x input [N, H, W, Cin]
 * @param filter [kh, kw, Cin, Cout] (HWIO)
 * @returns [N, Ho, Wo, Cout]
 */
export function conv2dFastGrad(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: number,
  pad: Conv2dPad,
): tf.Tensor4D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xIn, fIn, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([xIn, fIn]);
    const value = tf.conv2d(xIn, fIn, strides, pad);
    const gradFunc = (dy: tf.Tensor4D, saved: tf.Tensor[]): tf.Tensor[] => {
      const [xs, fs] = saved as [tf.Tensor4D, tf.Tensor4D];
      const dx = tf.conv2dTranspose(dy, fs, xs.shape, strides, pad); // [N, H, W, Cin]
      const dw = conv2dFilterGrad(xs, dy, fs.shape, strides, pad); // [kh, kw, Cin, Cout]
      return [dx, dw];
    };
    return { value, gradFunc };
  });
  return op(x, filter) as tf.Tensor4D;
}

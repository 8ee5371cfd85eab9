/**
 * Linear probe: softmax regression on frozen (detached) backbone features, the standard linear
 * evaluation of self-supervised representations. Features are standardised per dimension with
 * the training features' mean and std, then W [d, C] and b [C] are fitted by full-batch Adam
 * steps on the cross-entropy (plus a small L2 penalty). Only W and b are variables of the
 * optimizer, and the features are plain tensors, so the backbone cannot change.
 * No host reads while fitting; `accuracy` reads one scalar.
 * Must not import: DOM, gpu/.
 */
import * as tf from '@tensorflow/tfjs';

/** Options of a probe. */
export interface LinearProbeOptions {
  learningRate?: number;
  /** L2 penalty on W. */
  weightDecay?: number;
}

/** Labelled features for fitting or scoring. */
export interface ProbeData {
  /** [N, d] */
  features: tf.Tensor2D;
  /** int32 [N] */
  labels: tf.Tensor1D;
}

/** A softmax-regression probe that keeps its weights (and Adam state) across fits: warm starts. */
export class LinearProbe {
  readonly dim: number;
  readonly numClasses: number;
  private readonly w: tf.Variable; // [d, C]
  private readonly b: tf.Variable; // [C]
  private readonly optimizer: tf.AdamOptimizer;
  private readonly weightDecay: number;
  /** Standardisation of the last fit: mean and 1/std [1, d]. */
  private mean: tf.Tensor2D | null = null;
  private invStd: tf.Tensor2D | null = null;
  private isDisposed = false;

  constructor(dim: number, numClasses: number, opts: LinearProbeOptions = {}) {
    if (!(dim > 0) || !(numClasses >= 2)) throw new RangeError(`A linear probe needs features (got dim ${dim}) and at least 2 classes (got ${numClasses}).`);
    this.dim = dim;
    this.numClasses = numClasses;
    // Inside tidy: the zero initialisers are freed, the variables stay.
    [this.w, this.b] = tf.tidy(() => [tf.variable(tf.zeros([dim, numClasses]), true), tf.variable(tf.zeros([numClasses]), true)]);
    this.optimizer = tf.train.adam(opts.learningRate ?? 0.05);
    this.weightDecay = opts.weightDecay ?? 1e-4;
  }

  /** The probe's variables (for tests: nothing else may change). */
  get variables(): tf.Variable[] {
    return [this.w, this.b];
  }

  private standardize(x: tf.Tensor2D): tf.Tensor2D {
    return x.sub(this.mean!).mul(this.invStd!) as tf.Tensor2D;
  }

  private logits(x: tf.Tensor2D): tf.Tensor2D {
    return this.standardize(x).matMul(this.w as tf.Tensor2D).add(this.b) as tf.Tensor2D; // [N, C]
  }

  /** Sets the standardisation from `train` and runs `iterations` full-batch Adam steps. No reads. */
  fit(train: ProbeData, iterations: number): void {
    this.checkData(train);
    this.mean?.dispose();
    this.invStd?.dispose();
    [this.mean, this.invStd] = tf.tidy(() => {
      const { mean, variance } = tf.moments(train.features, 0, true); // [1, d] each
      return [mean as tf.Tensor2D, variance.add(1e-6).rsqrt() as tf.Tensor2D];
    });
    this.step(train, iterations);
  }

  /** More Adam steps with the current standardisation (call `fit` first). No reads. */
  step(train: ProbeData, iterations: number): void {
    this.checkData(train);
    if (!this.mean) throw new Error('LinearProbe.step: call fit() first (it sets the feature standardisation).');
    const oneHot = tf.tidy(() => tf.oneHot(train.labels, this.numClasses).toFloat()); // [N, C]
    try {
      for (let i = 0; i < iterations; i++) {
        this.optimizer.minimize(() => {
          const ce = tf.losses.softmaxCrossEntropy(oneHot, this.logits(train.features));
          return ce.add(this.w.square().sum().mul(this.weightDecay)) as tf.Scalar;
        }, false, [this.w, this.b]);
      }
    } finally {
      oneHot.dispose();
    }
  }

  /** Top-1 accuracy on `data`. sync point: awaits one scalar read. */
  async accuracy(data: ProbeData): Promise<number> {
    this.checkData(data);
    if (!this.mean) throw new Error('LinearProbe.accuracy: the probe has not been fitted yet.');
    const acc = tf.tidy(() => this.logits(data.features).argMax(1).equal(data.labels.toInt()).toFloat().mean()); // []
    const v = (await acc.data())[0]!;
    acc.dispose();
    return v;
  }

  private checkData(d: ProbeData): void {
    if (this.isDisposed) throw new Error('LinearProbe: used after dispose().');
    if (d.features.shape[1] !== this.dim) throw new RangeError(`LinearProbe: features have ${d.features.shape[1]} dims, the probe was built for ${this.dim}.`);
    if (d.labels.shape[0] !== d.features.shape[0]) throw new RangeError(`LinearProbe: ${d.features.shape[0]} feature rows but ${d.labels.shape[0]} labels.`);
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    tf.dispose([this.w, this.b]);
    this.mean?.dispose();
    this.invStd?.dispose();
    this.optimizer.dispose();
  }
}

/**
 * Data contracts shared by the dataset sources, the view sampler/renderers and the trainer.
 *
 * Layouts (fixed across the codebase):
 * - Images are uint8 RGB, row-major, [numImages, height, width, 3] in one Uint8Array.
 * - Views of a batch of M images with N views each are ordered view-major: view index
 *   v = k * M + m is view k of image m (the order of torch.cat(images) in the authors' code).
 * Must not import: tfjs, DOM.
 */
import type { Normalization } from './normalization';

/** An in-memory labelled (or unlabelled) image set. */
export interface ImageSet {
  /** uint8 RGB pixels, [numImages, height, width, 3]. */
  images: Uint8Array;
  /** Class index per image, or null for an unlabelled set. */
  labels: Int32Array | null;
  numImages: number;
  height: number;
  width: number;
}

/** A dataset: a training part and a labelled held-out part. */
export interface Dataset {
  name: string;
  classNames: string[];
  numClasses: number;
  train: ImageSet;
  test: ImageSet;
  /**
   * Per-channel statistics the views of this set are normalised with (normalization.ts): published
   * ones for CIFAR/MNIST imports, computed over the imported images otherwise; CIFAR-10's for the
   * built-in set. A resumed run uses its checkpoint's instead (createTrainer).
   */
  normalization: Normalization;
}

/** Sampled augmentation parameters of one view; kept so the IoU of any pair is exact.
 * Crop boxes are in source-image pixels, integers, as torchvision's RandomResizedCrop (i, j, h, w). */
export interface ViewParams {
  /** Crop top row (i). */
  top: number;
  /** Crop left column (j). */
  left: number;
  /** Crop height in source pixels (h ≥ 1). */
  height: number;
  /** Crop width in source pixels (w ≥ 1). */
  width: number;
  /** Horizontal flip applied after the crop. */
  isFlipped: boolean;
  /** Colour jitter applied (else the four factors below are identity: 1, 1, 1, 0). */
  hasJitter: boolean;
  /** Brightness factor (torchvision adjust_brightness). */
  brightness: number;
  /** Contrast factor (adjust_contrast). */
  contrast: number;
  /** Saturation factor (adjust_saturation). */
  saturation: number;
  /** Hue shift in turns, [-0.5, 0.5] (adjust_hue). */
  hue: number;
  /** Order of the jitter operations, a permutation of 0=brightness 1=contrast 2=saturation 3=hue
   * (torchvision ColorJitter.get_params fn_idx). */
  jitterOrder: [number, number, number, number];
  /** Converted to grayscale (after jitter). */
  isGrayscale: boolean;
  /** Gaussian blur sigma in output pixels; 0 = no blur. */
  blurSigma: number;
  /** Solarized (values ≥ 0.5 of the [0,1] range inverted) after blur. */
  isSolarized: boolean;
}


/**
 * How much an import may read, unpack, decode and keep — one definition for the browser's dataset
 * worker and the Node CLI's `--data`, so the same files are accepted or refused in both. Every
 * file is untrusted: each budget is checked against what a header declares before any work, and
 * again while the work runs (a header can lie), so a small crafted file cannot take much memory
 * or time. Measurements behind the numbers: bench/untrusted/README.md.
 * Must not import: tfjs, DOM.
 */

/** Largest decoded set in bytes; an import keeps at most this over the bytes per image
 * (87,381 images at 32 × 32, 21,845 at 64 × 64). */
export const MAX_DATASET_BYTES = 256 * 1024 * 1024;
/** Largest single input file that is read (bigger ones are skipped with a reason). */
export const MAX_FILE_BYTES = 1024 * 1024 * 1024;
/** Largest total input that is read at once. */
export const MAX_TOTAL_INPUT_BYTES = 1536 * 1024 * 1024;

/** The most images of side `size` an import keeps (MAX_DATASET_BYTES over the bytes per image). */
export const maxImagesAt = (size: number): number => Math.floor(MAX_DATASET_BYTES / (size * size * 3));

/** Largest unpacked size of one archive or member (1 GiB, one allocation): far above CIFAR
 * (185 MB), below browser allocation limits; also what an import may unpack beyond its own size. */
export const MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;

/**
 * Unpacking budget of one whole import, nested archives included: the bytes every gunzip and zip
 * member inflate may produce together. Real datasets compress a few times at most (MNIST's images
 * 4.8×, Fashion-MNIST 1.8×, CIFAR 1.1×, photos 1×), while a deflate bomb reaches 1032× per level
 * and multiplies over nesting. So the budget is UNPACK_RATIO times the input's size, never below
 * UNPACK_FLOOR_BYTES (small sets, tars of tiny files padded to 512-byte blocks) and never more
 * than MAX_UNPACKED_BYTES beyond the input's own size (so many zips of photos, which do not
 * compress, still fit together). While inflating, memory peaks near 3× the output (the output doubling as it
 * grows, fflate's per-step buffers until collected; bench/untrusted/README.md), so for any input
 * under 5 MB (a budget of at most 40 MB) a Node import stays under 256 MB. The budget also bounds
 * inflate time: inflating is linear in input plus output, and the output stops at the budget
 * (fflate inflates a bomb's runs of zeros at about 50 MB/s here, ordinary data faster).
 */
export const UNPACK_RATIO = 8;
/** Smallest unpacking budget of an import (see UNPACK_RATIO). */
export const UNPACK_FLOOR_BYTES = 32 * 1024 * 1024;

/** The unpacking budget of an import of `inputBytes` bytes (see UNPACK_RATIO). */
export const unpackBudgetFor = (inputBytes: number): number => Math.min(MAX_UNPACKED_BYTES + inputBytes, Math.max(UNPACK_FLOOR_BYTES, UNPACK_RATIO * inputBytes));

/** Archives inside archives are unpacked up to this depth (a zip of .gz files is depth 2). */
export const MAX_ARCHIVE_DEPTH = 3;

/** Largest accepted image side in pixels, read from the header before decoding. */
export const MAX_IMAGE_SIDE = 8192;
/**
 * Largest accepted image in pixels (40 megapixels, 160 MB as RGBA in the browser; the Python port
 * in python/hvp_torch/data uses the same number), read from the header before decoding. Training
 * images are at most 1024 px a side, so bigger ones only cost memory. Small files that declare
 * this much are stopped by the PNG check (MAX_DEFLATE_RATIO), the Node decoders' limit
 * (NODE_DECODE_BYTES) and the decoding budget of the import.
 */
export const MAX_IMAGE_PIXELS = 40_000_000;

/**
 * What the pure-JS decoders of Node (the CLI) may spend on one image: jpeg-js peaks near 48 bytes
 * per pixel while decoding (coefficients, component planes, RGBA output), pngjs near 12. Images
 * whose header asks for more are refused before decoding, with a message to shrink them or to use
 * the browser, so a Node import of any file stays within a few hundred MB.
 */
export const NODE_DECODE_BYTES = 128 * 1024 * 1024;
/** Bytes per pixel that jpeg-js holds while decoding (measured, see NODE_DECODE_BYTES). */
export const JPEG_JS_BYTES_PER_PIXEL = 48;
/** Bytes per pixel that pngjs holds while decoding (measured, see NODE_DECODE_BYTES). */
export const PNGJS_BYTES_PER_PIXEL = 12;

/**
 * Decoding budget of one import in pixels, the bound on decoding time: the declared pixels of
 * every image it decodes together. Photos hold 2–10 pixels per file byte and flat synthetic
 * images a few hundred, while a crafted JPEG can declare millions of pixels in a few hundred bytes
 * (progressive scans skip whole runs of blocks). So the budget is PIXELS_PER_INPUT_BYTE times the
 * input's size, never below DECODE_FLOOR_PIXELS (64 M pixels: all of CIFAR-10 as PNGs, about 15 s
 * of jpeg-js in Node at 4.5 M pixels/s, a few seconds in a browser). Images past it are skipped
 * with a reason.
 */
export const PIXELS_PER_INPUT_BYTE = 32;
/** Smallest decoding budget of an import in pixels (see PIXELS_PER_INPUT_BYTE). */
export const DECODE_FLOOR_PIXELS = 64 * 1024 * 1024;

/** The decoding budget in pixels of an import of `inputBytes` bytes (see PIXELS_PER_INPUT_BYTE). */
export const decodeBudgetFor = (inputBytes: number): number => Math.max(DECODE_FLOOR_PIXELS, PIXELS_PER_INPUT_BYTE * inputBytes);

/** A deflate stream grows its input at most this much (258-byte matches in 2 bits): a PNG whose
 * header asks for more pixel bytes than its data could inflate to is refused before decoding. */
export const MAX_DEFLATE_RATIO = 1032;

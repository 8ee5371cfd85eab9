/**
 * The ten shape classes of the built-in procedural dataset ("shapes-10"), as point-in-shape tests
 * in a shape-local frame.
 *
 * Classes differ by structure only (outline, holes, arms, corners, repeated texture), never by
 * colour: colour is drawn independently of the class by `builtinDataset.ts`. Every class is closed
 * under horizontal mirroring up to a rotation (each shape has a mirror axis), so a flipped view
 * never looks like another class, and each keeps a recognisable part (a corner, an arm, a hole, a
 * texture) when a random-resized crop keeps only 20 % of the image.
 *
 * Local frame: the shape's centre is the origin and one unit is the shape radius; every shape lies
 * inside the unit disk, so a renderer may treat the disk of radius `r` around the centre as the
 * bounding region. Rotation and translation are applied by the caller.
 *
 * Determinism across JS engines: the tests use only + − × ÷, comparisons and Math.floor/abs (all
 * exactly rounded by IEEE 754); trigonometric constants are numeric literals, never Math.cos/sin,
 * whose last bit may differ between engines.
 * Must not import: tfjs, DOM, anything outside core.
 */

/** Human-readable class names; the index in this list is the class label. */
export const SHAPE_CLASS_NAMES: readonly string[] = [
  'disk',
  'square',
  'triangle',
  'plus',
  'ring',
  'star',
  'checkerboard',
  'stripes',
  'crescent',
  'L-shape',
];

/** Number of shape classes (10). */
export const NUM_SHAPE_CLASSES = SHAPE_CLASS_NAMES.length;

// Half-side of the square, checkerboard and stripes patches (corner at distance 0.7·√2 ≈ 0.99).
const HALF_SIDE = 0.7;
// Checkerboard: 4 × 4 cells over the patch; stripes: 5 bands (3 foreground) over the patch.
const CHECKER_CELL = (2 * HALF_SIDE) / 4;
const STRIPE_BAND = (2 * HALF_SIDE) / 5;

// cos/sin of 18° and 54° (literals, see header).
const COS18 = 0.9510565162951535;
const SIN18 = 0.3090169943749474;
const COS54 = 0.5877852522924731;
const SIN54 = 0.8090169943749475;
// Five-pointed star: tips at radius STAR_OUTER (angles 90° + k·72°), notches at STAR_INNER
// (angles 126° + k·72°), as one closed 10-vertex polygon [x0, y0, x1, y1, …].
const STAR_OUTER = 0.97;
const STAR_INNER = 0.4;
const STAR_UNIT: readonly number[] = [
  0, 1, -COS54, SIN54, -COS18, SIN18, -COS18, -SIN18, -COS54, -SIN54,
  0, -1, COS54, -SIN54, COS18, -SIN18, COS18, SIN18, COS54, SIN54,
];
const STAR_POLY: Float64Array = Float64Array.from(STAR_UNIT, (c, i) => c * (Math.floor(i / 2) % 2 === 0 ? STAR_OUTER : STAR_INNER));
// The disk of radius STAR_INNER lies inside the star: the angle at each notch between the origin
// and the adjacent tips exceeds 90° (ρ² < ρ·R·cos 36°), so every edge is at least ρ from the
// origin. Used as a fast accept.
const STAR_SAFE_R2 = STAR_INNER * STAR_INNER;

// Equilateral triangle with circumradius 0.95: apothem (distance of each edge from the centre).
const TRI_APOTHEM = 0.95 * 0.5;
const SIN_120 = 0.8660254037844386;

function isInStar(u: number, v: number): boolean {
  const r2 = u * u + v * v;
  if (r2 > STAR_OUTER * STAR_OUTER) return false;
  if (r2 <= STAR_SAFE_R2) return true;
  // Even-odd crossing test of a ray towards +u against the 10 polygon edges.
  let isInside = false;
  for (let i = 0, j = 9; i < 10; j = i++) {
    const xi = STAR_POLY[2 * i]!, yi = STAR_POLY[2 * i + 1]!;
    const xj = STAR_POLY[2 * j]!, yj = STAR_POLY[2 * j + 1]!;
    if (yi > v !== yj > v && u < ((xj - xi) * (v - yi)) / (yj - yi) + xi) isInside = !isInside;
  }
  return isInside;
}

function isInTriangle(u: number, v: number): boolean {
  // Three edges with outward normals at angles 90°, 210°, 330° (a vertex points towards −v).
  const n2 = -0.5 * v - SIN_120 * u;
  const n3 = -0.5 * v + SIN_120 * u;
  return v <= TRI_APOTHEM && n2 <= TRI_APOTHEM && n3 <= TRI_APOTHEM;
}

/**
 * Whether the local point (u, v) lies inside shape `classIdx` (see the file header for the frame).
 * Hot path of dataset generation: plain arithmetic, no allocation.
 */
export function isInShape(classIdx: number, u: number, v: number): boolean {
  switch (classIdx) {
    case 0: // disk
      return u * u + v * v <= 0.8 * 0.8;
    case 1: // square
      return Math.abs(u) <= HALF_SIDE && Math.abs(v) <= HALF_SIDE;
    case 2:
      return isInTriangle(u, v);
    case 3: // plus: two crossing bars of half-width 0.24 and half-length 0.9
      return (Math.abs(u) <= 0.24 && Math.abs(v) <= 0.9) || (Math.abs(v) <= 0.24 && Math.abs(u) <= 0.9);
    case 4: {
      // ring: annulus between radii 0.5 and 0.9
      const r2 = u * u + v * v;
      return r2 <= 0.9 * 0.9 && r2 >= 0.5 * 0.5;
    }
    case 5:
      return isInStar(u, v);
    case 6: {
      // checkerboard: 4 × 4 cells, foreground where the cell parity is even
      if (Math.abs(u) > HALF_SIDE || Math.abs(v) > HALF_SIDE) return false;
      const cu = Math.min(3, Math.floor((u + HALF_SIDE) / CHECKER_CELL));
      const cv = Math.min(3, Math.floor((v + HALF_SIDE) / CHECKER_CELL));
      return (cu + cv) % 2 === 0;
    }
    case 7: {
      // stripes: 5 parallel bands, bands 0, 2, 4 are foreground
      if (Math.abs(u) > HALF_SIDE || Math.abs(v) > HALF_SIDE) return false;
      const band = Math.min(4, Math.floor((u + HALF_SIDE) / STRIPE_BAND));
      return band % 2 === 0;
    }
    case 8: {
      // crescent: disk of radius 0.9 minus a disk of radius 0.72 shifted by 0.42 along +u
      const du = u - 0.42;
      return u * u + v * v <= 0.9 * 0.9 && du * du + v * v > 0.72 * 0.72;
    }
    case 9:
      // L-shape: two equal arms (width 0.5, length 1.3) meeting at a corner; symmetric about the
      // diagonal u = v, so its mirror image is a rotation of itself.
      return (u >= -0.65 && u <= -0.15 && v >= -0.65 && v <= 0.65) || (v >= -0.65 && v <= -0.15 && u >= -0.65 && u <= 0.65);
    default:
      throw new RangeError(`Unknown shape class ${classIdx}; expected 0–${NUM_SHAPE_CLASSES - 1}`);
  }
}

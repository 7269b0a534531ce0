/** Luma of the border of an RGB image (docs/collect.md "Photo rules": background and frame). */
export interface BorderMeasure {
  /** Mean and standard deviation of BT.601 luma on the background strips. */
  readonly backgroundMean: number;
  readonly backgroundStdDev: number;
  /** Mean luma of the outermost 2-pixel ring on the same edges. */
  readonly ringMean: number;
}

/** Pixels of the outermost ring, kept out of the background strips (that is where a frame is). */
const RING_PX = 2;
/** Gap between the ring and the strips (JPEG blurs a frame's edge by a pixel or two). */
const GAP_PX = 1;
/** The side strips stop at this fraction of the height: shoulders may reach the lower corners. */
const SIDE_FRACTION = 0.6;

/**
 * Measures the top edge and the upper part of the left and right edges of interleaved 8-bit RGB
 * pixels: the ring (outermost RING_PX pixels) and the strips inside it, up to `stripPx` from the
 * edge. These are the parts of a conforming photo that show only background (the head sits
 * below the top strip, centred, and the shoulders reach the sides only near the bottom).
 */
export function measureBorder(rgb: Uint8Array, width: number, height: number, stripPx: number): BorderMeasure {
  const strip = new Welford();
  const ring = new Welford();
  const sideEnd = Math.floor(height * SIDE_FRACTION);
  const inner = RING_PX + GAP_PX;
  for (let y = 0; y < sideEnd; y++) {
    const row = y * width * 3;
    const inTop = y < stripPx;
    for (let x = 0; x < width; x++) {
      const edgeDistance = Math.min(x, width - 1 - x, y);
      if (!inTop && Math.min(x, width - 1 - x) >= stripPx) continue;
      const i = row + x * 3;
      const luma = 0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!;
      if (edgeDistance < RING_PX) ring.add(luma);
      else if (edgeDistance >= inner) strip.add(luma);
    }
  }
  return { backgroundMean: strip.mean, backgroundStdDev: strip.stdDev, ringMean: ring.mean };
}

/** Running mean and variance (Welford): one pass, no pixel copies. */
class Welford {
  private n = 0;
  private m = 0;
  private s = 0;
  add(v: number): void {
    this.n++;
    const d = v - this.m;
    this.m += d / this.n;
    this.s += d * (v - this.m);
  }
  get mean(): number {
    return this.n ? this.m : 0;
  }
  get stdDev(): number {
    return this.n > 1 ? Math.sqrt(this.s / (this.n - 1)) : 0;
  }
}

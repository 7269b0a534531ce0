import { CollectError } from './collect-error.js';

/**
 * The national photo specification for the card (docs/collect.md "Photo rules"): JPEG baseline,
 * 24-bit colour, 358 × 441 px, 350 dpi, a light plain background, no frame, and a file size band
 * set by each issuer. The numbers that differ between issuers are settings.
 */
export interface PhotoRules {
  readonly width: number;
  readonly height: number;
  readonly densityDpi: number;
  /** Inclusive file size band in bytes. */
  readonly sizeBytes: { readonly min: number; readonly max: number };
  /** Width of the strips along the top, left and right edges where the background is measured. */
  readonly borderStripPx: number;
  /** Lowest mean luma (0-255, BT.601) of the border strips that counts as light (white ~ 255). */
  readonly minBackgroundLuma: number;
  /** Highest luma standard deviation on the strips that counts as plain. */
  readonly maxBackgroundStdDev: number;
  /** A frame: the outermost ring differs from the strip inside it by more than this mean luma. */
  readonly maxFrameContrast: number;
  /** A file over this size is refused before decoding (a photo is tens of KB). */
  readonly maxInputBytes: number;
}

const KB = 1024;

/** Named size bands: `national` (14-40 KB), `band-60-80` (60-80 KB), `chip` (fits EF08, 4096 bytes). */
export const SIZE_BANDS = {
  national: { min: 14 * KB, max: 40 * KB },
  'band-60-80': { min: 60 * KB, max: 80 * KB },
  chip: { min: 1, max: 4096 },
} as const;

export type SizeBandName = keyof typeof SIZE_BANDS;

export const DEFAULT_PHOTO_RULES: PhotoRules = {
  width: 358,
  height: 441,
  densityDpi: 350,
  sizeBytes: SIZE_BANDS.national,
  borderStripPx: 12,
  minBackgroundLuma: 215,
  maxBackgroundStdDev: 12,
  maxFrameContrast: 30,
  maxInputBytes: 2 * 1024 * KB,
};

/**
 * Parses a size band: a preset name (`national`, `band-60-80`, `chip`) or `MIN-MAX` in KB
 * (e.g. `14-40`). Anything else is BAD_CONFIG.
 */
export function parseSizeBand(text: string): { min: number; max: number } {
  if (text in SIZE_BANDS) return SIZE_BANDS[text as SizeBandName];
  const m = /^([0-9]+(?:\.[0-9]+)?)-([0-9]+(?:\.[0-9]+)?)$/.exec(text.trim());
  if (!m) throw new CollectError('BAD_CONFIG', `size band "${text}": expected ${Object.keys(SIZE_BANDS).join(', ')} or MIN-MAX in KB (e.g. 14-40)`);
  const min = Math.round(Number(m[1]) * KB);
  const max = Math.round(Number(m[2]) * KB);
  if (min > max) throw new CollectError('BAD_CONFIG', `size band "${text}": the minimum is above the maximum`);
  return { min, max };
}

/** Default rules with some settings replaced (a region's band, a stricter background). */
export function photoRules(overrides: Partial<PhotoRules> = {}): PhotoRules {
  const rules = { ...DEFAULT_PHOTO_RULES, ...overrides };
  if (rules.borderStripPx < 2 || rules.borderStripPx * 2 >= Math.min(rules.width, rules.height)) {
    throw new CollectError('BAD_CONFIG', `borderStripPx ${rules.borderStripPx} must be at least 2 and leave the middle of the image`);
  }
  return rules;
}

import sharp from 'sharp';

/**
 * Synthetic holder photos for the simulator's profiles and the tests: a plain background, an
 * abstract head-and-shoulders silhouette (an ellipse and a curve; no face, no person) and, for
 * larger files, a seeded texture of small blocks on the body. Everything is a function of the
 * options, so the same options give the same image (docs/collect.md "Synthetic photos").
 */
export interface SyntheticPhotoOptions {
  /** Seed of the colours and the texture. */
  readonly seed: number;
  /** Number of texture blocks on the body: 0 for a small chip photo, ~400-1500 for 14-40 KB. */
  readonly texture?: number;
  /** JPEG quality 1-100. */
  readonly quality?: number;
  readonly width?: number;
  readonly height?: number;
  /** Background colour (CSS). */
  readonly background?: string;
  /** A frame of this colour and width around the image. */
  readonly frame?: { readonly colour: string; readonly px: number };
  readonly density?: number;
  /** `grey`: one-channel JPEG; `cmyk`: four-channel JPEG. */
  readonly colour?: 'rgb' | 'grey' | 'cmyk';
  readonly format?: 'jpeg' | 'png';
  readonly progressive?: boolean;
}

export const SYNTHETIC_CHIP_PHOTO = { texture: 0, quality: 30 } as const;
export const SYNTHETIC_COLLECTION_PHOTO = { texture: 700, quality: 88 } as const;

export async function syntheticPhoto(options: SyntheticPhotoOptions): Promise<Buffer> {
  const width = options.width ?? 358;
  const height = options.height ?? 441;
  let image = sharp(Buffer.from(silhouetteSvg(options, width, height))).removeAlpha();
  if (options.colour === 'grey') image = image.greyscale().toColourspace('b-w');
  if (options.colour === 'cmyk') image = image.toColourspace('cmyk');
  if (options.density !== 0) image = image.withDensity(options.density ?? 350);
  if (options.format === 'png') return image.png().toBuffer();
  return image.jpeg({ quality: options.quality ?? SYNTHETIC_COLLECTION_PHOTO.quality, progressive: options.progressive ?? false, mozjpeg: false }).toBuffer();
}

function silhouetteSvg(o: SyntheticPhotoOptions, w: number, h: number): string {
  const next = seeded(o.seed);
  const hue = Math.floor(next() * 360);
  const sx = w / 358;
  const sy = h / 441;
  const parts: string[] = [];
  parts.push(`<rect width="${w}" height="${h}" fill="${o.background ?? '#ffffff'}"/>`);
  // Head: centred, width ~ 2 × 103 px = 206 px (the spec's face width 207 ± 14), top at ~ 42 px.
  parts.push(`<ellipse cx="${179 * sx}" cy="${170 * sy}" rx="${103 * sx}" ry="${128 * sy}" fill="hsl(${hue},35%,55%)"/>`);
  parts.push(
    `<path d="M ${40 * sx} ${h} C ${50 * sx} ${330 * sy} ${110 * sx} ${300 * sy} ${179 * sx} ${300 * sy} C ${248 * sx} ${300 * sy} ${308 * sx} ${330 * sy} ${318 * sx} ${h} Z" fill="hsl(${(hue + 180) % 360},45%,35%)"/>`,
  );
  for (let i = 0; i < (o.texture ?? 0); i++) {
    const x = (80 + next() * 198) * sx;
    const y = (320 + next() * 110) * sy;
    const bw = 2 + next() * 10;
    const bh = 2 + next() * 10;
    parts.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${bw.toFixed(1)}" height="${bh.toFixed(1)}" fill="hsl(${(hue + Math.floor(next() * 60)) % 360},60%,${30 + Math.floor(next() * 40)}%)"/>`);
  }
  if (o.frame) {
    const p = o.frame.px;
    parts.push(`<rect x="${p / 2}" y="${p / 2}" width="${w - p}" height="${h - p}" fill="none" stroke="${o.frame.colour}" stroke-width="${p}"/>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${parts.join('')}</svg>`;
}

/** A small linear congruential generator: deterministic, no dependency (quality is irrelevant here). */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

import { open } from 'node:fs/promises';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { CollectError } from './collect-error.js';
import { measureBorder } from './measure-border.js';
import { DEFAULT_PHOTO_RULES, type PhotoRules } from './photo-rules.js';

/** The rules of the national photo specification (docs/collect.md "Photo rules"). */
export type PhotoRuleName =
  | 'file-size'
  | 'format'
  | 'baseline'
  | 'colour'
  | 'dimensions'
  | 'density'
  | 'background-light'
  | 'background-plain'
  | 'frame'
  | 'face-width'
  | 'hair-top'
  | 'eye-height';

export interface PhotoFinding {
  readonly rule: PhotoRuleName;
  /** `not-checked`: the rule needs something not available here (a face detector). */
  readonly status: 'pass' | 'fail' | 'not-checked';
  /** What was measured, in the unit of `limit` (null when not measured). */
  readonly measured: string | number | null;
  readonly limit: string;
  readonly message: string;
}

export interface PhotoReport {
  /** The file (or label) checked. */
  readonly file: string;
  readonly bytes: number;
  /** Every checked rule passed (`not-checked` rules do not count). */
  readonly ok: boolean;
  readonly findings: readonly PhotoFinding[];
  /** Only the failed findings. */
  readonly failures: readonly PhotoFinding[];
}

/** Face-position rules of the spec: measured only with a face detector, which sscard does not ship. */
const FACE_RULES: readonly [PhotoRuleName, string][] = [
  ['face-width', '207 ± 14 px'],
  ['hair-top', '7-21 px from the top edge'],
  ['eye-height', '≥ 207 px above the bottom edge'],
];

/** Reads a photo file (refusing one over `maxInputBytes` before reading it) and checks it. */
export async function checkPhotoFile(path: string, rules: PhotoRules = DEFAULT_PHOTO_RULES): Promise<PhotoReport> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw new CollectError('FILE_UNREADABLE', `${path}: cannot open: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, path, undefined, { cause: e });
  }
  try {
    const { size } = await handle.stat();
    if (size > rules.maxInputBytes) {
      throw new CollectError('FILE_TOO_LARGE', `${path}: ${size} bytes is over the ${rules.maxInputBytes}-byte limit for a photo; not decoded`, path);
    }
    return await checkPhoto(await handle.readFile(), path, rules);
  } finally {
    await handle.close();
  }
}

/**
 * Checks JPEG bytes against the rules. Decoding and metadata come from sharp (libvips): no JPEG
 * parsing of our own. Bytes that do not decode as an image are CollectError NOT_AN_IMAGE.
 */
export async function checkPhoto(bytes: Uint8Array, file: string, rules: PhotoRules = DEFAULT_PHOTO_RULES): Promise<PhotoReport> {
  if (bytes.length > rules.maxInputBytes) {
    throw new CollectError('FILE_TOO_LARGE', `${file}: ${bytes.length} bytes is over the ${rules.maxInputBytes}-byte limit for a photo; not decoded`, file);
  }
  // A decompression bomb cannot pass: at most 16 × the spec's pixel count is decoded.
  const options = { failOn: 'error' as const, limitInputPixels: rules.width * rules.height * 16 };
  let meta: Metadata;
  let raw: { data: Buffer; info: OutputInfo };
  try {
    meta = await sharp(bytes, options).metadata();
    raw = await sharp(bytes, options).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new CollectError('NOT_AN_IMAGE', `${file}: not a decodable image (${e instanceof Error ? e.message : String(e)})`, file, undefined, { cause: e });
  }
  const f: PhotoFinding[] = [];
  const add = (rule: PhotoRuleName, pass: boolean, measured: string | number, limit: string, message: string) =>
    f.push({ rule, status: pass ? 'pass' : 'fail', measured, limit, message });

  const { min, max } = rules.sizeBytes;
  add('file-size', bytes.length >= min && bytes.length <= max, bytes.length, `${min}-${max} bytes`, `file size ${kb(bytes.length)} (band ${kb(min)}-${kb(max)})`);
  add('format', meta.format === 'jpeg', meta.format ?? 'unknown', 'jpeg', `format ${meta.format ?? 'unknown'}`);
  const progressive = meta.isProgressive === true;
  if (meta.format === 'jpeg') add('baseline', !progressive, progressive ? 'progressive' : 'baseline', 'baseline', progressive ? 'progressive JPEG, baseline required' : 'baseline JPEG');
  else f.push({ rule: 'baseline', status: 'not-checked', measured: null, limit: 'baseline', message: 'not a JPEG (see format)' });
  const chroma = maxChroma(raw.data);
  const colourMeasured = `${meta.channels ?? '?'} channels, ${meta.space ?? '?'}, ${meta.depth ?? '?'}, max chroma ${chroma}`;
  const trueColour = meta.channels === 3 && meta.space === 'srgb' && meta.depth === 'uchar' && chroma >= 8;
  add('colour', trueColour, colourMeasured, '3 channels sRGB, 8 bits each (24-bit colour), not grey', trueColour ? '24-bit colour' : colourMessage(meta, chroma));
  const dims = `${meta.width}×${meta.height}`;
  add('dimensions', meta.width === rules.width && meta.height === rules.height, dims, `${rules.width}×${rules.height}`, `image is ${dims} px`);
  add('density', meta.density === rules.densityDpi, meta.density ?? 'none', `${rules.densityDpi} dpi`, meta.density ? `density ${meta.density} dpi` : 'no density in the JFIF/EXIF header');

  const border = measureBorder(raw.data, raw.info.width, raw.info.height, rules.borderStripPx);
  add('background-light', border.backgroundMean >= rules.minBackgroundLuma, round(border.backgroundMean), `mean luma ≥ ${rules.minBackgroundLuma}`, `border strips mean luma ${round(border.backgroundMean)}`);
  add('background-plain', border.backgroundStdDev <= rules.maxBackgroundStdDev, round(border.backgroundStdDev), `luma std dev ≤ ${rules.maxBackgroundStdDev}`, `border strips luma std dev ${round(border.backgroundStdDev)}`);
  const contrast = Math.abs(border.ringMean - border.backgroundMean);
  add('frame', contrast <= rules.maxFrameContrast, round(contrast), `edge ring vs background luma ≤ ${rules.maxFrameContrast}`, contrast > rules.maxFrameContrast ? 'the outermost pixels differ from the background: a frame or border line' : 'no frame');
  for (const [rule, limit] of FACE_RULES) {
    f.push({ rule, status: 'not-checked', measured: null, limit, message: 'not checked: needs a face detector, which sscard does not ship (docs/collect.md)' });
  }
  const failures = f.filter((x) => x.status === 'fail');
  return { file, bytes: bytes.length, ok: failures.length === 0, findings: f, failures };
}

/** Largest channel spread of any pixel (0 for a grey image stored as RGB). */
function maxChroma(rgb: Buffer): number {
  let best = 0;
  for (let i = 0; i + 2 < rgb.length; i += 3) {
    const r = rgb[i]!;
    const g = rgb[i + 1]!;
    const b = rgb[i + 2]!;
    const spread = Math.max(r, g, b) - Math.min(r, g, b);
    if (spread > best) best = spread;
  }
  return best;
}

function colourMessage(meta: Metadata, chroma: number): string {
  if (meta.space === 'cmyk' || meta.channels === 4) return 'CMYK image, 24-bit RGB colour required';
  if (meta.space === 'b-w' || meta.channels === 1 || meta.channels === 2) return 'greyscale image, 24-bit colour required';
  if (chroma < 8) return 'the image holds no colour (grey content in RGB channels)';
  return `not 24-bit sRGB (${meta.space}, ${meta.depth})`;
}

function kb(n: number): string {
  return `${(n / 1024).toFixed(1)} KB`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

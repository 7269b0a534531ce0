/**
 * Where a JPEG stream ends inside a transparent EF that is longer than the image (card-spec §1:
 * EF08 is 0x1000 bytes, the photo is written from offset 0 and the rest is padding). This is the
 * minimum of the ISO/IEC 10918-1 §B.1 marker syntax needed to find the end: walk the marker
 * segments by their lengths up to SOS, then scan the entropy-coded data, where an FF byte is
 * always followed by a stuffed 00, a restart marker (D0-D7) or a real marker. So an EOI inside an
 * embedded EXIF thumbnail (it sits in an APP1 segment) is skipped, not taken for the end.
 * Image content is never interpreted here; the photo check decodes with an image library.
 */
export type JpegExtent =
  /** EOI found: the image is `bytes[0, length)`. */
  | { readonly status: 'complete'; readonly length: number }
  /** Starts like a JPEG but no EOI yet: read more. */
  | { readonly status: 'incomplete' }
  /** Does not start with SOI (FF D8): no photo in the file (an empty EF is all 00 or FF). */
  | { readonly status: 'not-jpeg' }
  /** Marker syntax is broken (a segment length that cannot be, a marker without FF). */
  | { readonly status: 'malformed'; readonly at: number; readonly reason: string };

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const TEM = 0x01;

export function jpegExtent(bytes: Uint8Array): JpegExtent {
  if (bytes.length < 2) return bytes.length === 0 || bytes[0] === 0xff ? { status: 'incomplete' } : { status: 'not-jpeg' };
  if (bytes[0] !== 0xff || bytes[1] !== SOI) return { status: 'not-jpeg' };
  let i = 2;
  for (;;) {
    // Marker segments before the scan (and between scans of a progressive image).
    while (i < bytes.length && bytes[i] === 0xff && bytes[i + 1] === 0xff) i++; // fill bytes
    if (i + 1 >= bytes.length) return { status: 'incomplete' };
    if (bytes[i] !== 0xff) return { status: 'malformed', at: i, reason: `expected a marker, found ${hex(bytes[i]!)}` };
    const marker = bytes[i + 1]!;
    if (marker === EOI) return { status: 'complete', length: i + 2 };
    if (marker === TEM || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // stand-alone markers carry no length
      continue;
    }
    if (i + 3 >= bytes.length) return { status: 'incomplete' };
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (length < 2) return { status: 'malformed', at: i, reason: `segment ${hex(marker)} has length ${length}` };
    i += 2 + length;
    if (marker !== SOS) continue;
    // Entropy-coded data: runs until a marker other than a stuffed 00 or a restart marker.
    for (;;) {
      while (i < bytes.length && bytes[i] !== 0xff) i++;
      if (i + 1 >= bytes.length) return { status: 'incomplete' };
      const next = bytes[i + 1]!;
      if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
        i += 2;
        continue;
      }
      if (next === 0xff) {
        i += 1; // fill byte before a marker
        continue;
      }
      break; // a real marker: EOI, or DHT/SOS/... of a later scan
    }
  }
}

function hex(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}

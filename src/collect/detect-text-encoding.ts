import iconv from 'iconv-lite';

/**
 * The text encoding of a CSV from its first bytes: a UTF-8 BOM or valid UTF-8 -> `utf-8`;
 * otherwise text that decodes cleanly as GB18030 (GBK's superset, what Chinese Excel saves as
 * "CSV") -> `gb18030`; NUL bytes or neither -> undefined (not text). `sample` may end in the
 * middle of a character: up to 3 trailing bytes are ignored for the UTF-8 test.
 */
export function detectTextEncoding(sample: Uint8Array): 'utf-8' | 'gb18030' | undefined {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  if (sample.includes(0x00)) return undefined; // UTF-16 or binary
  const fatal = new TextDecoder('utf-8', { fatal: true });
  for (let cut = 0; cut <= Math.min(3, sample.length); cut++) {
    try {
      fatal.decode(sample.subarray(0, sample.length - cut));
      return 'utf-8';
    } catch {
      // try without the last bytes: the sample may have cut a character
    }
  }
  const text = iconv.decode(Buffer.from(sample.buffer, sample.byteOffset, sample.byteLength), 'gb18030');
  // A cut double-byte character at the end decodes as one replacement character at most.
  const bad = (text.match(/\uFFFD/g) ?? []).length;
  if (bad > 1 || (bad === 1 && !text.endsWith('\uFFFD'))) return undefined;
  return hasControlNoise(text) ? undefined : 'gb18030';
}

/** Binary data that happens to decode: control characters other than tab, CR, LF. */
function hasControlNoise(text: string): boolean {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) n++;
  }
  return n > 0;
}

/** A BER-TLV tag number as upper-case hex, e.g. 0x9F4F -> "9F4F", 0x5A -> "5A". */
export function tagHex(tag: number): string {
  const hex = tag.toString(16).toUpperCase();
  return hex.length % 2 ? `0${hex}` : hex;
}

/** "9F4F" -> 0x9F4F. */
export function tagNumber(hex: string): number {
  return parseInt(hex, 16);
}

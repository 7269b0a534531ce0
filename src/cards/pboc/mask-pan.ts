/**
 * Masks a PAN to its first 6 and last 4 digits (PCI DSS 3.4 display rule), e.g.
 * `6230520000000000016` -> `623052*********0016`. PANs of 10 digits or fewer keep the last 4 only.
 */
export function maskPan(pan: string): string {
  if (pan.length <= 10) return '*'.repeat(Math.max(0, pan.length - 4)) + pan.slice(-4);
  return pan.slice(0, 6) + '*'.repeat(pan.length - 10) + pan.slice(-4);
}

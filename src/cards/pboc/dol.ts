import { randomBytes } from 'node:crypto';
import { fromHex } from '../../core/hex.js';
import type { PbocFormat, PbocSpec } from '../../specs/pboc-spec-schema.js';
import { CardError } from '../card-error.js';
import { tagHex } from './tag-hex.js';

/** One entry of a data object list: a tag and the length the card wants (EMV Book 3 §5.4). */
export interface DolEntry {
  readonly tag: number;
  readonly length: number;
}

/**
 * Parses a DOL (PDOL 9F38, CDOL 8C, log format 9F4F): tags of 1-3 bytes, each followed by a
 * one-byte length (EMV Book 3 §5.4). A cut-off entry is BAD_CARD_DATA.
 */
export function parseDol(bytes: Uint8Array, field: string): DolEntry[] {
  const out: DolEntry[] = [];
  let i = 0;
  while (i < bytes.length) {
    let tag = bytes[i++]!;
    if ((tag & 0x1f) === 0x1f) {
      let n = 0;
      for (;;) {
        if (i >= bytes.length) throw new CardError('BAD_CARD_DATA', `${field}: DOL tag cut off`);
        const b = bytes[i++]!;
        tag = (tag << 8) | b;
        if (++n > 2) throw new CardError('BAD_CARD_DATA', `${field}: DOL tag longer than 3 bytes`);
        if ((b & 0x80) === 0) break;
      }
    }
    if (i >= bytes.length) throw new CardError('BAD_CARD_DATA', `${field}: DOL entry ${tagHex(tag)} has no length`);
    out.push({ tag, length: bytes[i++]! });
  }
  return out;
}

/** Clock and randomness of the terminal side, injectable for tests. */
export interface TerminalSources {
  readonly now?: () => Date;
  readonly random?: (length: number) => Uint8Array;
}

function bcd(text: string): Uint8Array {
  return fromHex(text);
}

/** The value a terminal-default source gives right now. */
function sourceValue(source: 'date' | 'time' | 'random', length: number, t: TerminalSources): Uint8Array {
  const now = (t.now ?? (() => new Date()))();
  const two = (n: number) => String(n).padStart(2, '0');
  if (source === 'date') return bcd(two(now.getUTCFullYear() % 100) + two(now.getUTCMonth() + 1) + two(now.getUTCDate()));
  if (source === 'time') return bcd(two(now.getUTCHours()) + two(now.getUTCMinutes()) + two(now.getUTCSeconds()));
  return (t.random ?? ((n) => new Uint8Array(randomBytes(n))))(length);
}

/**
 * Fits a value to the length the DOL asks (EMV Book 3 §5.4): numeric (n) values are cut or
 * padded on the left with 00, everything else on the right.
 */
function fit(value: Uint8Array, length: number, format: PbocFormat | undefined): Uint8Array {
  const out = new Uint8Array(length);
  const numeric = format === 'numeric' || format === 'amount' || format === 'date' || format === 'time';
  if (numeric) {
    const from = Math.max(0, value.length - length);
    out.set(value.subarray(from), length - (value.length - from));
  } else out.set(value.subarray(0, length));
  return out;
}

/**
 * The data a DOL asks for, from the spec's terminal defaults (`pdolDefaults`); tags the
 * terminal does not know are sent as zeros of the asked length (EMV Book 3 §5.4).
 */
export function buildDolData(dol: readonly DolEntry[], spec: PbocSpec, sources: TerminalSources = {}): Uint8Array {
  const total = dol.reduce((n, e) => n + e.length, 0);
  if (total > 252) throw new CardError('BAD_CARD_DATA', `PDOL asks for ${total} bytes, more than a GPO command can carry`);
  const out = new Uint8Array(total);
  let at = 0;
  for (const e of dol) {
    const hex = tagHex(e.tag);
    const d = spec.pdolDefaults.find((x) => x.tag === hex);
    const format = spec.tags.find((x) => x.tag === hex)?.format;
    if (d) {
      const value = 'value' in d ? fromHex(d.value) : sourceValue(d.source, e.length, sources);
      out.set(fit(value, e.length, format), at);
    }
    at += e.length;
  }
  return out;
}

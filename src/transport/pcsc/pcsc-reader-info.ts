import { interfaceFromReaderName } from '../card-interface.js';
import type { ReaderInfo } from '../reader-info.js';

/** Reader ids are `pcsc:` + the PC/SC name: stable across pcscd restarts and re-plugging. */
export const PCSC_READER_ID_PREFIX = 'pcsc:';

export function pcscReaderInfo(name: string): ReaderInfo {
  const cardInterface = interfaceFromReaderName(name);
  return Object.freeze({ id: PCSC_READER_ID_PREFIX + name, name, kind: 'pcsc' as const, simulated: false, ...(cardInterface ? { cardInterface } : {}) });
}

/** Accepts a PC/SC reader name or a `pcsc:` id; returns the PC/SC name. */
export function pcscReaderName(nameOrId: string): string {
  return nameOrId.startsWith(PCSC_READER_ID_PREFIX) ? nameOrId.slice(PCSC_READER_ID_PREFIX.length) : nameOrId;
}

/** Upper-case hex of an ATR (ReaderEvent / ReaderState contract). */
export function atrHex(atr: Uint8Array | undefined): string {
  return atr ? Buffer.from(atr.buffer, atr.byteOffset, atr.byteLength).toString('hex').toUpperCase() : '';
}

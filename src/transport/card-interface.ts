import type { CardInterface, ReaderInfo } from './reader-info.js';
import type { ReaderState } from './reader-monitor.js';

/**
 * Which interface a caller wants the card read on: the four `iType` values of the national
 * reader interface (card-spec §4: 1 contact, 2 contactless, 3 auto contact-first, 4 auto
 * contactless-first).
 */
export type InterfaceRequest = 'contact' | 'contactless' | 'contact-first' | 'contactless-first';

export const INTERFACE_REQUEST_OF_ITYPE: Readonly<Record<number, InterfaceRequest>> = {
  1: 'contact',
  2: 'contactless',
  3: 'contact-first',
  4: 'contactless-first',
};

/**
 * The interface of a PC/SC reader from its name. PC/SC names the two slots of a dual reader
 * `... PICC ...` (contactless, ISO/IEC 14443 "proximity IC card") and `... ICC ...` / `... SAM ...`;
 * "Contactless", "CL" and "NFC" are used by other vendors. pcsclite 1.0.1 does not expose
 * SCardGetAttrib, so SCARD_ATTR_* cannot be asked (docs/readers.md "Interface choice").
 * `undefined` = nothing in the name: the reader is treated as contact.
 */
export function interfaceFromReaderName(name: string): CardInterface | undefined {
  if (/\bPICC\b|contactless|\bCL\b|\bNFC\b|\bRFID\b|14443/i.test(name)) return 'contactless';
  return undefined;
}

/** The interface the card in `state` answers on: the reader's report, else the reader's nature. */
export function cardInterfaceOf(state: ReaderState): 'contact' | 'contactless' | 'either' {
  if (state.cardInterface) return state.cardInterface;
  const nature: CardInterface = state.reader.cardInterface ?? 'contact';
  return nature === 'dual' ? 'either' : nature;
}

/** Whether a card answering on `on` serves a request for exactly `want`. */
export function servesInterface(on: 'contact' | 'contactless' | 'either', want: 'contact' | 'contactless'): boolean {
  return on === 'either' || on === want;
}

export function describeInterface(reader: ReaderInfo): CardInterface {
  return reader.cardInterface ?? 'contact';
}

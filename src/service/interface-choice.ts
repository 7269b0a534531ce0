import { cardInterfaceOf, servesInterface, type InterfaceRequest } from '../transport/card-interface.js';
import type { ReaderState } from '../transport/reader-monitor.js';
import { ServiceError } from './service-error.js';

/**
 * The readers whose card serves an `iType`-style request (card-spec §4; docs/readers.md
 * "Interface choice"): `contact` / `contactless` keep only cards on that interface; the `-first`
 * forms keep the preferred interface when any card is on it, else the other. Cards are present
 * but none fits -> WRONG_CARD_TYPE (the national interface's -1).
 */
export function readersForInterface(withCard: readonly ReaderState[], want: InterfaceRequest | undefined): readonly ReaderState[] {
  if (want === undefined || withCard.length === 0) return withCard;
  const on = (i: 'contact' | 'contactless') => withCard.filter((r) => servesInterface(cardInterfaceOf(r), i));
  let fit: readonly ReaderState[];
  switch (want) {
    case 'contact':
    case 'contactless':
      fit = on(want);
      break;
    case 'contact-first':
      fit = on('contact').length ? on('contact') : on('contactless');
      break;
    case 'contactless-first':
      fit = on('contactless').length ? on('contactless') : on('contact');
      break;
  }
  if (fit.length === 0) throw wrongCardType(want, withCard);
  return fit;
}

/** The national interface's return value for WRONG_CARD_TYPE (card-spec §4: -1 wrong card type). */
export const WRONG_CARD_TYPE_NATIONAL_CODE = -1;

export function wrongCardType(want: InterfaceRequest, states: readonly ReaderState[]): ServiceError {
  const names = states.map((r) => r.reader.name);
  return new ServiceError('WRONG_CARD_TYPE', `a ${want} card was asked for; the card in ${names.join(', ')} is on the other interface`, names);
}

import { ApduError } from './apdu-error.js';
import type { Transmitter } from './transmitter.js';

/**
 * APDUs one operation may exchange with the card. A full read with authentication takes about 25
 * (select, EF05 and EF06 record by record on older cards, challenges, 6Cxx resends), a photo read
 * about 20; the budget leaves room for that and stops a hostile card that answers `61 01` and
 * `6C01` again and again long before a thousand exchanges.
 */
export const DEFAULT_TRANSMIT_BUDGET = 128;

/**
 * Per-operation cap on card exchanges (a processor, style.md §2): the stack is built per
 * operation, so this counts every APDU of the operation, including the GET RESPONSE rounds and
 * Le resends the processors above it add. Exceeding it is the typed TOO_MANY_APDUS.
 */
export function withTransmitBudget(inner: Transmitter, budget = DEFAULT_TRANSMIT_BUDGET): Transmitter {
  let used = 0;
  return {
    transmit(command) {
      if (++used > budget) {
        return Promise.reject(new ApduError('TOO_MANY_APDUS', `the card needed more than ${budget} APDU exchanges for one operation`));
      }
      return inner.transmit(command);
    },
  };
}

import type { CardOs } from '../card-os.js';
import { INS } from '../instruction.js';
import { getResponse } from './get-response.js';
import { readBinary } from './read-binary.js';
import { readRecord } from './read-record.js';
import { select } from './select.js';

/** Registers the file commands every simulated card has: SELECT, READ RECORD, READ BINARY, GET RESPONSE. */
export function registerFileInstructions(card: CardOs): CardOs {
  return card
    .register(INS.SELECT, select, { name: 'SELECT' })
    .register(INS.READ_RECORD, readRecord, { name: 'READ RECORD' })
    .register(INS.READ_BINARY, readBinary, { name: 'READ BINARY' })
    .register(INS.GET_RESPONSE, getResponse, { name: 'GET RESPONSE', keepsPendingResponse: true });
}

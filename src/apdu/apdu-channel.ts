import { encodeCommand, type CommandApdu } from './command-apdu.js';
import { decodeResponse, type ResponseApdu } from './response-apdu.js';
import type { Transmitter } from './transmitter.js';

/** Typed view over the byte transmitter, as card sessions use it. */
export interface ApduChannel {
  send(command: CommandApdu): Promise<ResponseApdu>;
}

export function apduChannel(transmitter: Transmitter): ApduChannel {
  return {
    async send(command) {
      return decodeResponse(await transmitter.transmit(encodeCommand(command)));
    },
  };
}

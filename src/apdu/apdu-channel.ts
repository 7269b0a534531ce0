import { encodeCommand, type CommandApdu } from './command-apdu.js';
import { isSecretCommand } from './mask-secrets.js';
import { decodeResponse, type ResponseApdu } from './response-apdu.js';
import type { Transmitter } from './transmitter.js';

/** Typed view over the byte transmitter, as card sessions use it. */
export interface ApduChannel {
  send(command: CommandApdu): Promise<ResponseApdu>;
}

export function apduChannel(transmitter: Transmitter): ApduChannel {
  return {
    async send(command) {
      const bytes = encodeCommand(command);
      try {
        return decodeResponse(await transmitter.transmit(bytes));
      } finally {
        // PIN-carrying commands (mask-secrets.ts): the wire copy is wiped once sent, also on errors.
        if (isSecretCommand(bytes)) bytes.fill(0);
      }
    },
  };
}

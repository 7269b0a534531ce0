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
    send(command) {
      // PIN-carrying commands (mask-secrets.ts): the wire copy is wiped once sent, also on errors.
      // Any other command goes through a plain `then` (no async frame: the read's critical path);
      // a throw here (a command that does not encode) is a rejection, as from an async function.
      try {
        const bytes = encodeCommand(command);
        if (isSecretCommand(bytes)) return sendSecret(transmitter, bytes);
        return transmitter.transmit(bytes).then(decodeResponse);
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}

async function sendSecret(transmitter: Transmitter, bytes: Uint8Array): Promise<ResponseApdu> {
  try {
    return decodeResponse(await transmitter.transmit(bytes));
  } finally {
    bytes.fill(0);
  }
}

import { toHex } from '../core/hex.js';
import { maskCommandHex } from './mask-secrets.js';
import { formatTranscript } from './transcript.js';
import type { Transmitter } from './transmitter.js';

/**
 * Records every exchange that passes through it, PIN data masked at record time (the secret
 * never reaches the recorder's memory as text). Put it at the bottom of the stack to record the
 * wire (GET RESPONSE and Le retries included).
 */
export class TranscriptRecorder {
  readonly exchanges: { command: string; response: string }[] = [];

  wrap(inner: Transmitter): Transmitter {
    return {
      transmit: async (command) => {
        const masked = maskCommandHex(command);
        const response = await inner.transmit(command);
        this.exchanges.push({ command: masked, response: toHex(response) });
        return response;
      },
    };
  }

  toText(header: string[] = []): string {
    return formatTranscript(this.exchanges, header);
  }
}

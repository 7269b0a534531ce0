import { toHex } from '../core/hex.js';
import { maskCommandHex } from './mask-secrets.js';
import type { Transmitter } from './transmitter.js';

/** Receives one line per APDU direction: `=> 00A40400…` / `<= 6F1C…9000`. */
export type TrafficSink = (line: string) => void;

/**
 * APDU traffic log on its own opt-in channel (yubikit style). Off unless a sink is given.
 * PIN-carrying commands are masked before the line is built.
 */
export function withTrafficLog(inner: Transmitter, sink: TrafficSink | undefined): Transmitter {
  if (!sink) return inner;
  return {
    async transmit(command) {
      sink(`=> ${maskCommandHex(command)}`);
      const response = await inner.transmit(command);
      sink(`<= ${toHex(response)}`);
      return response;
    },
  };
}

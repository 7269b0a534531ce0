import type { Transmitter } from './transmitter.js';

/**
 * Counts APDUs and bytes on the wire (put it at the bottom of the stack). Used by the bench and
 * by the tests that pin the number of APDUs a read takes.
 */
export class WireCounter implements Transmitter {
  apdus = 0;
  sent = 0;
  received = 0;
  readonly commands: Uint8Array[] = [];

  constructor(private readonly inner: Transmitter) {}

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    this.apdus++;
    this.sent += command.length;
    this.commands.push(command);
    const r = await this.inner.transmit(command);
    this.received += r.length;
    return r;
  }
}

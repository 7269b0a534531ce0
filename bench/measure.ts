import type { Transmitter } from '../src/apdu/transmitter.js';

/** Counts APDUs and bytes on the wire below the processor stack. */
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

/** Runs `fn` repeatedly for about `ms` milliseconds; returns operations per second and per-op samples (µs). */
export async function rate(fn: () => Promise<unknown>, ms = 1000): Promise<{ perSecond: number; samplesUs: number[] }> {
  for (let i = 0; i < 20; i++) await fn(); // warm-up
  const samplesUs: number[] = [];
  const start = process.hrtime.bigint();
  let now = start;
  while (Number(now - start) / 1e6 < ms) {
    const t0 = process.hrtime.bigint();
    await fn();
    now = process.hrtime.bigint();
    samplesUs.push(Number(now - t0) / 1000);
  }
  return { perSecond: samplesUs.length / (Number(now - start) / 1e9), samplesUs };
}

export function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

export function fmt(n: number, digits = 2): string {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}

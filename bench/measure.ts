export { WireCounter } from '../src/apdu/wire-counter.js';

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

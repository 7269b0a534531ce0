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

/** `min / median / max` of repeated runs. */
export function spread(values: number[], digits = 2): string {
  const s = [...values].sort((a, b) => a - b);
  return `${fmt(s[0]!, digits)} / ${fmt(median(s), digits)} / ${fmt(s[s.length - 1]!, digits)}`;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/**
 * A target's verdict from repeated runs: met when the median run meets it, and how many runs
 * did (a noisy run moves the count, not the verdict).
 */
export function verdict(values: number[], target: number, better: 'lower' | 'higher'): string {
  const ok = (v: number) => (better === 'lower' ? v <= target : v >= target);
  return `${ok(median(values)) ? '**met**' : '**missed**'} (${values.filter(ok).length}/${values.length} runs)`;
}

/** Counts of latencies (ms) per bucket, as a one-line histogram. */
export function histogram(samplesMs: number[]): string {
  const edges = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const v of samplesMs) counts[edges.findIndex((e) => v < e) === -1 ? edges.length : edges.findIndex((e) => v < e)]!++;
  const label = (i: number) => (i === 0 ? `<${edges[0]}` : i === edges.length ? `≥${edges[i - 1]}` : `${edges[i - 1]}-${edges[i]}`);
  return counts.map((c, i) => `${label(i)}: ${c}`).join(' · ');
}

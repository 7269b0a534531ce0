import { benchDaemon } from './daemon.bench.js';
import { benchHid } from './hid.bench.js';
import { benchPcsc } from './pcsc.bench.js';
import { benchPbocRead } from './pboc-read.bench.js';
import { benchSsseRead } from './ssse-read.bench.js';
import { benchStatus } from './status.bench.js';
import { benchRoster } from './roster.bench.js';
import { benchTlsListener } from './tls-listener.bench.js';

/** `npm run bench`: every figure is a ratio against a baseline measured in the same run. */
// SSCARD_BENCH_ONLY=status runs one section (e.g. while working on the registry).
const all: Record<string, () => Promise<string[]>> = { ssse: benchSsseRead, pboc: benchPbocRead, hid: benchHid, pcsc: benchPcsc, daemon: benchDaemon, status: benchStatus, tls: benchTlsListener, roster: benchRoster };
const only = process.env.SSCARD_BENCH_ONLY;
const sections = only ? [all[only] ?? (() => Promise.reject(new Error(`SSCARD_BENCH_ONLY: unknown section ${only}`)))] : Object.values(all);
const out: string[] = [`# sscard bench — ${new Date().toISOString()} — node ${process.version}`, ''];
for (const s of sections) {
  out.push(...(await s()), '');
}
process.stdout.write(`${out.join('\n')}\n`);
// Every native handle is closed by the sections; exit explicitly anyway so a stray timer cannot hold the bench.
process.exit(0);

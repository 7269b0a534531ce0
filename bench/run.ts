import { benchDaemon } from './daemon.bench.js';
import { benchPcsc } from './pcsc.bench.js';
import { benchSsseRead } from './ssse-read.bench.js';
import { benchRoster } from './roster.bench.js';

/** `npm run bench`: every figure is a ratio against a baseline measured in the same run. */
const sections: (() => Promise<string[]>)[] = [benchSsseRead, benchPcsc, benchDaemon, benchRoster];
const out: string[] = [`# sscard bench — ${new Date().toISOString()} — node ${process.version}`, ''];
for (const s of sections) {
  out.push(...(await s()), '');
}
process.stdout.write(`${out.join('\n')}\n`);
// Every native handle is closed by the sections; exit explicitly anyway so a stray timer cannot hold the bench.
process.exit(0);

import { benchDaemon } from './daemon.bench.js';
import { benchPcsc } from './pcsc.bench.js';
import { benchPbocRead } from './pboc-read.bench.js';
import { benchSsseRead } from './ssse-read.bench.js';

/** `npm run bench`: every figure is a ratio against a baseline measured in the same run. */
const sections: (() => Promise<string[]>)[] = [benchSsseRead, benchPbocRead, benchPcsc, benchDaemon];
const out: string[] = [`# sscard bench — ${new Date().toISOString()} — node ${process.version}`, ''];
for (const s of sections) {
  out.push(...(await s()), '');
}
process.stdout.write(`${out.join('\n')}\n`);
// Every native handle is closed by the sections; exit explicitly anyway so a stray timer cannot hold the bench.
process.exit(0);

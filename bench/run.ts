import { benchSsseRead } from './ssse-read.bench.js';

/** `npm run bench`: every figure is a ratio against a baseline measured in the same run. */
const sections: (() => Promise<string[]>)[] = [benchSsseRead];
const out: string[] = [`# sscard bench — ${new Date().toISOString()} — node ${process.version}`, ''];
for (const s of sections) {
  out.push(...(await s()), '');
}
process.stdout.write(`${out.join('\n')}\n`);

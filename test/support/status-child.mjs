// Child process for test/unit/status/status-processes.test.ts: runs the compiled registry
// (dist folder given as argv[2]) against the data dir in $SSCARD_DATA_DIR, clock $SSCARD_NOW.
//   crash <first> <count>   lock cards first..first+count-1 temporarily, one transaction each,
//                           printing "committed <cic>" after each commit (the parent SIGKILLs it)
//   race <iterations> <seed> lock-temporary / lock-formal / release the same card at random,
//                           then print {"ok": {action: n}, "refused": {code: n}}
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [outDir, mode, a, b] = process.argv.slice(2);
const { openCardStatusRegistry } = await import(pathToFileURL(join(outDir, 'src/status/open-card-status-registry.js')).href);
const { registry, config } = openCardStatusRegistry();
const ctx = { site: config.site, operator: config.operator };

const cic = (n) => `320500D156000005${n.toString(16).toUpperCase().padStart(8, '0')}48FB4966`;

if (mode === 'crash') {
  const first = Number(a);
  for (let i = first; i < first + Number(b); i++) {
    await registry.lock({ cardIdentificationCode: cic(i), cardNumber: 'X00000019' }, 'temporary', ctx, 'batch item'); // no number: a 4-digit run is refused (docs/status.md, "No PIN ever")
    process.stdout.write(`committed ${cic(i)}\n`);
  }
  process.stdout.write('done\n');
} else if (mode === 'race') {
  let seed = Number(b);
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed / 2147483648);
  const card = { cardIdentificationCode: cic(0x77), cardNumber: 'X00000019' };
  const ok = {};
  const refused = {};
  process.stdout.write('ready\n');
  for (let i = 0; i < Number(a); i++) {
    const r = rnd();
    const action = r < 0.4 ? 'lock-temporary' : r < 0.6 ? 'lock-formal' : 'release';
    try {
      if (action === 'release') await registry.release(card, ctx);
      else await registry.lock(card, action === 'lock-formal' ? 'formal' : 'temporary', ctx);
      ok[action] = (ok[action] ?? 0) + 1;
    } catch (e) {
      if (!e || typeof e.code !== 'string' || e.layer !== 'status') throw e;
      refused[e.code] = (refused[e.code] ?? 0) + 1;
    }
  }
  process.stdout.write(`${JSON.stringify({ ok, refused })}\n`);
}
await registry.close();

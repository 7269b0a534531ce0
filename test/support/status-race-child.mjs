// One "counter" of the race test: hammers lock / release / replace on the given cards for a
// bounded time through the real composition (openCardStatusRegistry: SSCARD_STATUS_DB selects the
// store) and prints what succeeded and what was refused, as JSON. Plain node over dist/.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const [root, cardsJson, durationMs, sitesJson] = process.argv.slice(2);
const { openCardStatusRegistry } = await import(pathToFileURL(join(root, 'dist/src/status/open-card-status-registry.js')).href);
const cards = JSON.parse(cardsJson);
const sites = JSON.parse(sitesJson);
const { registry } = openCardStatusRegistry();
await registry.ready();
const ok = {};
const refused = {};
const failed = [];
const pick = (a) => a[Math.floor(Math.random() * a.length)];
const end = Date.now() + Number(durationMs);
let ops = 0;
while (Date.now() < end) {
  const card = pick(cards);
  // no digit runs: operators holding 4+ digits are refused as possibly a PIN (docs/status.md)
  const ctx = { site: pick(sites), operator: `counter-${String(process.pid).replace(/[0-9]/g, (d) => "abcdefghij"[Number(d)])}` };
  const r = Math.random();
  const action = r < 0.35 ? 'lock-temporary' : r < 0.55 ? 'lock-formal' : r < 0.95 ? 'release' : 'replacement-requested';
  try {
    if (action === 'lock-temporary') await registry.lock(card, 'temporary', ctx);
    else if (action === 'lock-formal') await registry.lock(card, 'formal', ctx);
    else if (action === 'release') await registry.release(card, ctx);
    else await registry.requestReplacement(card, ctx);
    ok[action] = (ok[action] ?? 0) + 1;
  } catch (e) {
    if (e?.layer === 'status' && e.rule) refused[e.code] = (refused[e.code] ?? 0) + 1;
    else failed.push(`${e?.code ?? 'no code'}: ${e?.message ?? e}`);
  }
  ops++;
}
await registry.close();
process.stdout.write(JSON.stringify({ ok, refused, failed, ops }));

#!/usr/bin/env node
// Enforces the dependency direction of docs/architecture.md:
//   core <- specs <- apdu <- transport <- cards, keys <- status, service <- compose <- daemon, cli
//   (collect — the roster and photo checks over files, no card — sits over core, specs and the
//   card checks of cards; service and the faces call it)
// Only src/transport imports native-shims/; simulators/ never imports the reader's sessions;
// src/client imports only the daemon's protocol declaration. The faces (cli, daemon) only parse,
// call src/service operations and format: they never import src/cards, src/keys, src/status,
// transport implementations or simulators/; only the composition root (src/compose) picks
// concrete transports, key services, stores and the simulator. Exit 1 with one line per violation.
// `node scripts/check-layers.mjs [ROOT]` checks another tree (the layer check's own test).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.argv[2] ? resolve(process.argv[2]) : resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Which layer a repo-relative path belongs to. */
function layerOf(rel) {
  const p = rel.split(sep).join('/');
  if (p.startsWith('native-shims/')) return 'native-shims';
  if (p.startsWith('simulators/')) return 'simulators';
  if (p.startsWith('apdu-specs/')) return 'apdu-specs';
  if (p.startsWith('src/transport/pcsc/') || p.startsWith('src/transport/in-process/') || p.startsWith('src/transport/hid/')) return 'transport-impl';
  const m = /^src\/([^/]+)\//.exec(p);
  return m ? m[1] : null;
}

const below = {
  core: [],
  specs: ['core', 'apdu-specs'],
  apdu: ['core', 'specs', 'apdu-specs'],
  transport: ['core', 'specs', 'apdu'],
  'transport-impl': ['core', 'specs', 'apdu', 'transport', 'native-shims'],
  keys: ['core', 'specs', 'apdu', 'transport'],
  cards: ['core', 'specs', 'apdu', 'transport', 'keys'],
  status: ['core', 'specs', 'apdu', 'transport', 'cards', 'keys'],
  // Collection checks (rosters, photos): checks over files, no card; reuse the card checks of cards.
  collect: ['core', 'specs', 'apdu-specs', 'cards'],
  service: ['core', 'specs', 'apdu', 'transport', 'cards', 'keys', 'status', 'collect'],
  compose: ['core', 'specs', 'apdu', 'transport', 'transport-impl', 'cards', 'keys', 'status', 'service', 'simulators'],
  // The faces: parse, call, format (no cards, keys, status, transport implementations, simulators).
  daemon: ['core', 'specs', 'apdu', 'transport', 'service', 'compose', 'collect', 'client'],
  cli: ['core', 'specs', 'apdu', 'transport', 'service', 'compose', 'collect', 'daemon', 'client'],
  client: [],
  simulators: ['core', 'specs', 'apdu', 'apdu-specs'],
  'native-shims': [],
};

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yield* walk(full);
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) yield full;
  }
}

const violations = [];
for (const top of ['src', 'simulators', 'native-shims']) {
  let files;
  try {
    files = [...walk(join(root, top))];
  } catch {
    continue;
  }
  for (const file of files) {
    const rel = relative(root, file);
    const from = layerOf(rel);
    const text = readFileSync(file, 'utf8');
    if (from === 'client') {
      // The browser SDK: no package, no Node built-in, only relative imports of the protocol.
      for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^.'"][^'"]*)['"]/g)) {
        violations.push(`${rel}: src/client must not import '${m[1]}' (browser code: relative protocol imports only)`);
      }
    }
    const re = /(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g;
    for (const m of text.matchAll(re)) {
      const target = relative(root, resolve(dirname(file), m[1]));
      const to = layerOf(target);
      if (!to || to === from) continue;
      if (from === 'client' && target.split(sep).join('/').startsWith('src/daemon/protocol/')) continue;
      const allowed = below[from] ?? [];
      if (!allowed.includes(to)) violations.push(`${rel}: layer '${from}' must not import '${to}' (${m[1]})`);
    }
  }
}
if (violations.length) {
  console.error(`layer check: ${violations.length} violation(s)\n${violations.join('\n')}`);
  process.exit(1);
}
console.error('layer check: ok');

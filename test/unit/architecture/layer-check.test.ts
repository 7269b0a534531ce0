import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = join(process.cwd(), 'scripts', 'check-layers.mjs');

function check(root?: string): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, root ? [script, root] : [script], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

/** A tree holding `files` (path -> source), for a deliberate violation. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sscard-layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('scripts/check-layers.mjs: the architecture as a check', () => {
  it('passes on this repository', () => {
    const r = check();
    expect(r.stderr).toContain('layer check: ok');
    expect(r.status).toBe(0);
  });

  it.each([
    ['src/cli/x.ts', "import { SocialSecuritySession } from '../cards/social-security/social-security-session.js';", "layer 'cli' must not import 'cards'"],
    ['src/daemon/x.ts', "import { SoftKeyService } from '../keys/soft/soft-key-service.js';", "layer 'daemon' must not import 'keys'"],
    ['src/daemon/x.ts', "import { openCardStatusRegistry } from '../status/open-card-status-registry.js';", "layer 'daemon' must not import 'status'"],
    ['src/cli/x.ts', "import { PcscReaderSource } from '../transport/pcsc/pcsc-reader-source.js';", "layer 'cli' must not import 'transport-impl'"],
    ['src/daemon/x.ts', "import { createSimulatedCard } from '../../simulators/create-card.js';", "layer 'daemon' must not import 'simulators'"],
    ['src/service/x.ts', "import { PcscReaderSource } from '../transport/pcsc/pcsc-reader-source.js';", "layer 'service' must not import 'transport-impl'"],
    ['src/service/x.ts', "import { composeOperations } from '../compose/compose-operations.js';", "layer 'service' must not import 'compose'"],
    ['src/collect/x.ts', "import type { CardOperations } from '../service/operations/card-operations.js';", "layer 'collect' must not import 'service'"],
    ['src/collect/x.ts', "import { SoftKeyService } from '../keys/soft/soft-key-service.js';", "layer 'collect' must not import 'keys'"],
  ])('fails on a deliberate violation: %s importing "%s"', (file, line, message) => {
    const r = check(tree({ [file]: `${line}\nexport const x = 1;\n` }));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${file}: ${message}`);
  });

  it('lets a face use the service, the composition root and the transport interfaces', () => {
    const r = check(
      tree({
        'src/cli/x.ts': [
          "import type { CardOperations } from '../service/operations/card-operations.js';",
          "import { composeOperations } from '../compose/compose-operations.js';",
          "import type { ReaderInfo } from '../transport/reader-info.js';",
        ].join('\n'),
      }),
    );
    expect(r.stderr).toContain('layer check: ok');
    expect(r.status).toBe(0);
  });
});

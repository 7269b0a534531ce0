import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * vitest globalSetup: compiles the project once so tests that spawn the real CLI
 * (`dist/src/cli/main.js`) never run a stale build.
 */
export default function setup(): void {
  // scripts/test.sh has just built; SSCARD_SKIP_BUILD=1 avoids building twice.
  if (process.env.SSCARD_SKIP_BUILD === '1') return;
  const root = join(import.meta.dirname, '..', '..');
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], {
    stdio: 'inherit',
  });
}

import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Compiles src/status (and what it imports) with the repo's TypeScript into a private folder under
 * node_modules/.cache, so child processes can run the registry with plain `node` (tsx is not a
 * dependency, and Node 20 cannot strip types). The folder sits inside the repo so that the
 * compiled files resolve better-sqlite3 and zod from node_modules. Returns the folder and a cleanup.
 */
export function compileStatusModules(): { outDir: string; cleanup: () => void } {
  const outDir = join(root, 'node_modules', '.cache', `sscard-status-test-${process.pid}`);
  mkdirSync(outDir, { recursive: true });
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(
    process.execPath,
    [
      tsc,
      ...['--outDir', outDir, '--rootDir', root, '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022'],
      ...['--strict', '--noUncheckedIndexedAccess', '--skipLibCheck', '--esModuleInterop', '--resolveJsonModule', '--types', 'node'],
      join(root, 'src/status/open-card-status-registry.ts'),
    ],
    { cwd: root, stdio: 'pipe' },
  );
  return { outDir, cleanup: () => rmSync(outDir, { recursive: true, force: true }) };
}

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
/** `bin/sscard`: how every launcher starts sscard (the daemon's node flags and malloc settings). */
export const LAUNCHER = join(ROOT, 'bin', 'sscard');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the compiled CLI (built by the globalSetup) and returns its exit code and output.
 * In-process (unit) runs see no PC/SC readers (SSCARD_NO_PCSC=1), so cards that pcscd tests put
 * into the vpcd slots cannot make `--sim` ambiguous; pass `{ env: { SSCARD_NO_PCSC: '0' } }` to opt out.
 */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): CliResult {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, SSCARD_NO_PCSC: '1', ...options.env },
    input: options.input ?? '',
    timeout: options.timeoutMs ?? 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Helpers for the tests against a real pcscd + vpcd (test/pcsc/). Everything is asynchronous:
 * an in-process vpcd client must keep answering pcscd's polls, and a synchronous child process
 * in the same Node process deadlocks it (docs/pcsc.md).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const READER_0 = 'Virtual PCD 00 00';
export const READER_1 = 'Virtual PCD 00 01';
export const VPCD_PORTS = [35963, 35964] as const;
export const PCSCD_LOG = '/tmp/sscard-pcscd/pcscd.log';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command asynchronously (never execSync: see header); never rejects. */
export function run(file: string, args: string[], timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((done) => {
    execFile(file, args, { cwd: ROOT, timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** scripts/pcscd.sh start|stop|kill|restart|status; throws with its output on failure. */
export async function pcscd(command: 'start' | 'stop' | 'kill' | 'restart' | 'status'): Promise<RunResult> {
  const result = await run('bash', [resolve(ROOT, 'scripts/pcscd.sh'), command]);
  if (result.code !== 0) throw new Error(`scripts/pcscd.sh ${command} failed (${result.code}): ${result.stderr.trim()}`);
  return result;
}

/** True when something listens on every vpcd port (read from /proc: connecting would insert a card). */
export function vpcdListening(): boolean {
  const tables = ['/proc/net/tcp', '/proc/net/tcp6'].filter((f) => existsSync(f)).map((f) => readFileSync(f, 'utf8'));
  return VPCD_PORTS.every((port) => {
    const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
    // column "st" 0A = LISTEN
    return tables.some((t) => t.split('\n').some((line) => line.includes(hex) && / 0A /.test(line)));
  });
}

export interface PcscdAvailability {
  available: boolean;
  reason: string;
}

/**
 * Makes sure pcscd (with the preload) and vpcd are ready, by running scripts/setup.sh (installs
 * what is missing, builds the preload, starts pcscd). In CI (`CI=true`) a failure throws: the
 * PC/SC tests must never be skipped silently there. Elsewhere it returns a reason to skip.
 */
export async function ensurePcscd(): Promise<PcscdAvailability> {
  const setup = await run('bash', [resolve(ROOT, 'scripts/setup.sh')], 180_000);
  let reason = '';
  if (setup.code !== 0) reason = `scripts/setup.sh failed: ${setup.stderr.trim().split('\n').slice(-3).join(' / ')}`;
  else if (!vpcdListening()) reason = `pcscd runs but vpcd does not listen on ${VPCD_PORTS.join('/')} (/etc/reader.conf.d/vpcd?)`;
  if (reason && process.env.CI === 'true') throw new Error(`PC/SC test prerequisites missing in CI: ${reason}`);
  return { available: reason === '', reason: reason || 'pcscd and vpcd ready' };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 10 ms (timers only) until true; throws after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

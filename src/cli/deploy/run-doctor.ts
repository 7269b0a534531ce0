import { checkBrowserPolicy } from './check-browser-policy.js';
import { checkChromiumTrust, checkCertificate, checkSystemTrust } from './check-certificate.js';
import { checkClock } from './check-clock.js';
import { checkDaemon } from './check-daemon.js';
import { checkDataDirs, checkTokens } from './check-files.js';
import { pcscSnapshot } from '../../compose/deploy-probes.js';
import { checkPcscd, checkPreload, checkReaders } from './check-pcsc.js';
import { checkRegistry } from './check-registry.js';
import type { DoctorContext } from './doctor-context.js';
import { fail, type Finding } from './finding.js';
import { trustEither } from './trust-either.js';

export interface DoctorReport {
  readonly ok: boolean;
  readonly checks: readonly Finding[];
}

/**
 * The checks in order (docs/deploy.md, "sscard doctor"): the card path first (pcscd, readers,
 * preload), then the daemon and its files, the registry, the certificate and its trust, the
 * browser policy, the clock. Every check runs; one failure does not hide the next.
 */
export async function runDoctor(ctx: DoctorContext): Promise<DoctorReport> {
  const snap = ctx.env.SSCARD_NO_PCSC === '1' ? undefined : await pcscSnapshot();
  const steps: [string, () => Finding | Promise<Finding>][] = [
    ['pcscd', () => checkPcscd(ctx, snap)],
    ['readers', () => checkReaders(ctx, snap)],
    ['preload', () => checkPreload(ctx, snap)],
    ['daemon', () => checkDaemon(ctx)],
    ['tokens', () => checkTokens(ctx)],
    ['data-dir', () => checkDataDirs(ctx)],
    ['registry', () => checkRegistry(ctx)],
    ['certificate', () => checkCertificate(ctx)],
    ['trust-system', () => checkSystemTrust(ctx)],
    ['trust-chromium', () => checkChromiumTrust(ctx)],
    ['browser-policy', () => checkBrowserPolicy(ctx)],
    ['clock', () => checkClock(ctx)],
  ];
  const found: Finding[] = [];
  for (const [name, step] of steps) found.push(await guarded(name, step));
  const checks = trustEither(found);
  return { ok: checks.every((c) => c.status !== 'fail'), checks };
}

/** A check that throws (a file this user may not read, ...) is a failure of that check, never a crash of doctor. */
async function guarded(name: string, step: () => Finding | Promise<Finding>): Promise<Finding> {
  try {
    return await step();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EACCES' || err.code === 'EPERM') {
      return fail(name, 'NO_ACCESS', `this user may not read ${err.path ?? 'a file it needs'}`, "run doctor as the user the daemon runs as (kiosk: `sudo -u sscard sscard doctor --system`)");
    }
    return fail(name, 'CHECK_ERROR', `the check could not run: ${err.message}`, 'report this with the output of `sscard doctor --json`');
  }
}

const MARK: Record<Finding['status'], string> = { pass: 'ok  ', warn: 'WARN', fail: 'FAIL', skip: '-   ' };

/** The report for a terminal: one line per check, and what to do under each failure or warning. */
export function formatDoctor(report: DoctorReport): string[] {
  const width = Math.max(...report.checks.map((c) => c.check.length));
  const lines: string[] = [];
  for (const c of report.checks) {
    const code = c.status === 'pass' ? '' : `${c.code}: `;
    lines.push(`[${MARK[c.status]}] ${c.check.padEnd(width)}  ${code}${c.message}`);
    if (c.fix && c.status !== 'pass') lines.push(`${' '.repeat(width + 9)}-> ${c.fix}`);
  }
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  lines.push(failed ? `${failed} check(s) failed` : 'all checks passed');
  return lines;
}

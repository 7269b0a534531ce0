import { checkBrowserPolicy } from './check-browser-policy.js';
import { checkChromiumTrust, checkCertificate, checkSystemTrust } from './check-certificate.js';
import { checkClock } from './check-clock.js';
import { checkDaemon } from './check-daemon.js';
import { checkDataDirs, checkTokens } from './check-files.js';
import { checkPcscd, checkPreload, checkReaders, pcscSnapshot } from './check-pcsc.js';
import { checkRegistry } from './check-registry.js';
import type { DoctorContext } from './doctor-context.js';
import type { Finding } from './finding.js';

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
  const checks: Finding[] = [
    checkPcscd(ctx, snap),
    checkReaders(ctx, snap),
    checkPreload(ctx, snap),
    await checkDaemon(ctx),
    checkTokens(ctx),
    checkDataDirs(ctx),
    checkRegistry(ctx),
    checkCertificate(ctx),
    checkSystemTrust(ctx),
    checkChromiumTrust(ctx),
    checkBrowserPolicy(ctx),
    checkClock(ctx),
  ];
  return { ok: checks.every((c) => c.status !== 'fail'), checks };
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

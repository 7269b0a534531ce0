import type { Finding } from './finding.js';

/**
 * The package trusts the local CA in ONE store, by design (docs/deploy.md, `SSCARD_TLS`): the
 * kiosk daemon's CA in the system store at install, a desktop user's CA in that user's Chromium
 * NSS store at login. When one of the two trust checks passes, the other one not trusting the
 * CA is a warning (still named by its code, with what it means), not a failure; when neither
 * trusts it, both stay failures.
 */
export function trustEither(checks: readonly Finding[]): Finding[] {
  const system = checks.find((c) => c.check === 'trust-system');
  const chromium = checks.find((c) => c.check === 'trust-chromium');
  return checks.map((c) => {
    if (c === chromium && system?.status === 'pass' && c.status === 'fail' && c.code === 'CA_NOT_TRUSTED_CHROMIUM') {
      return {
        ...c,
        status: 'warn',
        message: `${c.message}; the system store trusts it (a kiosk daemon): Chromium reads each browser user's own NSS store`,
      };
    }
    if (c === system && chromium?.status === 'pass' && c.status === 'fail' && c.code === 'CA_NOT_TRUSTED_SYSTEM') {
      return {
        ...c,
        status: 'warn',
        message: `${c.message}; Chromium trusts it (this user's NSS store), programs that read the system store do not`,
      };
    }
    return c;
  });
}

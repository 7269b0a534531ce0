import { join } from 'node:path';
import { allowedByPolicies } from './browser-policy.js';
import { POLICY_FILE_NAME, type DoctorContext } from './doctor-context.js';
import { fail, pass, skip, warn, type Finding } from './finding.js';

/**
 * The browser policy for the allowed origins. The policy is opt-in (docs/deploy.md): absent is a
 * warning (the browser may ask the clerk to allow local network access); present but missing an
 * allowed origin, or unreadable, is a failure (someone meant to set it and it is out of date).
 */
export function checkBrowserPolicy(ctx: DoctorContext): Finding {
  const origins = ctx.daemonConfig?.allowedOrigins.map((o) => o.origin) ?? [];
  if (origins.length === 0) return skip('browser-policy', 'NO_ORIGINS', 'no HIS origin is allowed in the daemon config: nothing for a browser policy to allow');
  const found = allowedByPolicies(ctx.policyDir);
  const write = `\`sudo sscard browser-policy --write\` (writes ${join(ctx.policyDir, POLICY_FILE_NAME)} from the daemon config), or set SSCARD_BROWSER_POLICY=yes in /etc/default/sscard and reinstall`;
  if (found.errors.length) return fail('browser-policy', 'BROWSER_POLICY_BAD', `unreadable policy file: ${found.errors.join('; ')}`, `fix or delete it, then ${write}`);
  if (found.files.length === 0) {
    return warn('browser-policy', 'BROWSER_POLICY_MISSING', `no Chromium policy in ${ctx.policyDir} allows ${origins.join(', ')}: the browser may ask the clerk to allow local network access`, write);
  }
  const missing = origins.filter((o) => !found.origins.has(o));
  if (missing.length) return fail('browser-policy', 'BROWSER_POLICY_STALE', `${found.files.join(', ')} does not allow ${missing.join(', ')}`, write);
  return pass('browser-policy', `${found.files.join(', ')} allows ${origins.join(', ')}`);
}

import type { Logger } from 'pino';
import { parseOperator, parseSite } from '../status/status-policy.js';

/**
 * The daemon's site and default operator (status config), checked once at start. A bad or
 * missing value is the daemon administrator's fault, not a client's: it is logged now, and the
 * status changes that need it answer STATUS_UNAVAILABLE with reason DAEMON_NOT_CONFIGURED (never
 * INVALID_PARAMS, which would send the page looking for a mistake it did not make).
 */
export function checkedOperatorDefaults(
  config: { site?: string | undefined; operator?: string | undefined },
  log: Logger,
): { site: string | undefined; operator: string | undefined } {
  const check = (what: 'site' | 'operator', value: string | undefined, parse: (v: string) => string): string | undefined => {
    if (value === undefined || value === '') {
      log.warn({ setting: what }, `no ${what} configured: card.lock, card.release and the counter operations will answer STATUS_UNAVAILABLE (DAEMON_NOT_CONFIGURED)`);
      return undefined;
    }
    try {
      return parse(value);
    } catch (e) {
      log.error({ setting: what, code: (e as { code?: string }).code }, `the configured ${what} is invalid: status changes that need it will answer STATUS_UNAVAILABLE (DAEMON_NOT_CONFIGURED)`);
      return undefined;
    }
  };
  return { site: check('site', config.site, parseSite), operator: check('operator', config.operator, parseOperator) };
}

import { existsSync } from 'node:fs';
import type { DoctorContext } from './doctor-context.js';
import { fail, pass, warn, type Finding } from './finding.js';

/** No correct clock reads earlier than the day this check was written. */
export const CLOCK_FLOOR = new Date('2026-11-01T00:00:00Z');
/** systemd-timesyncd touches this file once the clock is synchronised (systemd-timesyncd.service(8)). */
export const TIMESYNC_FLAG = '/run/systemd/timesync/synchronized';

/**
 * Clock sanity: temporary locks expire by the clock (docs/status.md) and certificates are judged
 * by it, so a clock stuck in the past (a dead RTC battery) is a real fault on counter machines.
 */
export function checkClock(ctx: DoctorContext): Finding {
  const now = ctx.now;
  if (ctx.env.SSCARD_NOW) {
    return warn('clock', 'CLOCK_FIXED', `SSCARD_NOW fixes sscard's clock at ${now.toISOString()} in this shell`, 'unset SSCARD_NOW (it is for demonstrations and tests)');
  }
  if (now < CLOCK_FLOOR) {
    return fail('clock', 'CLOCK_BEHIND', `the clock says ${now.toISOString()}, before this sscard was released (${CLOCK_FLOOR.toISOString().slice(0, 10)})`, 'set the clock and enable time sync: `sudo timedatectl set-ntp true` (or the hospital NTP server); check the BIOS battery');
  }
  const synced = existsSync(TIMESYNC_FLAG) ? ', synchronised by systemd-timesyncd' : '';
  return pass('clock', `${now.toISOString()}${synced}`);
}

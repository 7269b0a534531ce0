import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

/** Flags for headless Chromium in a container, without any network chatter of its own. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Debian's Chromium (never a downloaded browser): installed by scripts/setup.sh. In CI
 * (`CI=true`) a missing browser is a failure, never a skip; elsewhere it returns a reason to skip.
 */
export function ensureChromium(): { available: boolean; reason: string } {
  if (existsSync(CHROMIUM)) return { available: true, reason: 'chromium ready' };
  const reason = `${CHROMIUM} is missing (apt-get install chromium, or run scripts/setup.sh)`;
  if (process.env.CI === 'true') throw new Error(`browser test prerequisites missing in CI: ${reason}`);
  return { available: false, reason };
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { initInstallationKey, loadInstallationKey, type InstallationKey } from '../keys/installation/installation-key.js';

/** The installation key lives in the data directory (docs/verifiable-reads.md). */
export const INSTALLATION_KEY_FILE = 'installation-key.json';

export function installationKeyPath(dataDir: string): string {
  return join(dataDir, INSTALLATION_KEY_FILE);
}

/** The key when `keys init` made one; null otherwise. A file that exists but is bad is an error. */
export function installationKeyIfPresent(dataDir: string): InstallationKey | null {
  const file = installationKeyPath(dataDir);
  return existsSync(file) ? loadInstallationKey(file) : null;
}

export { initInstallationKey, loadInstallationKey, type InstallationKey };

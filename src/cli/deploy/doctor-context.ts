import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadDaemonConfig, type DaemonConfig } from '../../daemon/daemon-config.js';
import { stateDir } from '../../daemon/log/state-dir.js';
import { dataDirOf as statusDataDir } from '../../compose/data-dir.js';

/** Where a package install keeps the machine-wide configuration (docs/deploy.md). */
export const ETC_DIR = '/etc/sscard';
/** Chromium's machine policy directory (Chrome: /etc/opt/chrome/..., Edge: /etc/opt/edge/...). */
export const CHROMIUM_POLICY_DIR = '/etc/chromium/policies/managed';
/** The file sscard writes there (`sscard browser-policy --write`, the package's opt-in). */
export const POLICY_FILE_NAME = 'sscard.json';
/** Debian's bundle of trusted CAs, rebuilt by update-ca-certificates. */
export const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
/** Where the package (and `sscard cert` users) put the local CA for update-ca-certificates. */
export const SYSTEM_CA_FILE = '/usr/local/share/ca-certificates/sscard-local-ca.crt';
/** The kiosk system unit's data and log directories (StateDirectory= / LogsDirectory=). */
export const SYSTEM_DATA_DIR = '/var/lib/sscard';
export const SYSTEM_STATE_DIR = '/var/log/sscard';
/** Nickname of the local CA in NSS databases. */
export const NSS_NICKNAME = 'sscard local CA';

export interface DoctorContext {
  readonly env: NodeJS.ProcessEnv;
  readonly dataDir: string;
  readonly stateDir: string;
  readonly home: string;
  /** The daemon config the daemon would use, or the reason it cannot be read. */
  readonly daemonConfig: DaemonConfig | undefined;
  readonly daemonConfigFile: string | null;
  readonly daemonConfigError: string | undefined;
  /** Env for the status registry (SSCARD_CONFIG falls back to /etc/sscard/config.json). */
  readonly statusEnv: NodeJS.ProcessEnv;
  readonly policyDir: string;
  readonly systemCaBundle: string;
  readonly nssDb: string;
  readonly now: Date;
}

/**
 * What the daemon of this user would use: `--config FILE`, else `<data dir>/daemon.json`, else
 * the package's `/etc/sscard/daemon.json`; the status config likewise (`$SSCARD_CONFIG`, else
 * `<data dir>/config.json`, else `/etc/sscard/config.json`). `$SSCARD_ETC_DIR`,
 * `$SSCARD_BROWSER_POLICY_DIR` and `$SSCARD_CA_BUNDLE` move the machine paths (tests, other
 * distributions).
 */
export function doctorContext(o: { env?: NodeJS.ProcessEnv; configFile?: string | undefined; system?: boolean } = {}): DoctorContext {
  const etc = (o.env ?? process.env).SSCARD_ETC_DIR || ETC_DIR;
  // --system: the kiosk daemon of the package's system unit (its directories and config files).
  const env = o.system ? { ...(o.env ?? process.env), SSCARD_DATA_DIR: SYSTEM_DATA_DIR, SSCARD_STATE_DIR: SYSTEM_STATE_DIR, SSCARD_CONFIG: join(etc, 'config.json') } : (o.env ?? process.env);
  if (o.system && !o.configFile) o = { ...o, configFile: join(etc, 'daemon.json') };
  const dataDir = statusDataDir(env);
  const home = env.HOME || homedir();
  let file = o.configFile;
  if (!file && !existsSync(join(dataDir, 'daemon.json')) && existsSync(join(etc, 'daemon.json'))) file = join(etc, 'daemon.json');
  let daemonConfig: DaemonConfig | undefined;
  let daemonConfigFile: string | null = null;
  let daemonConfigError: string | undefined;
  try {
    const loaded = loadDaemonConfig({ file, dataDir });
    daemonConfig = loaded.config;
    daemonConfigFile = loaded.file;
  } catch (e) {
    daemonConfigError = (e as Error).message;
    daemonConfigFile = file ?? join(dataDir, 'daemon.json');
  }
  const statusEnv = { ...env };
  if (!env.SSCARD_CONFIG && !existsSync(join(dataDir, 'config.json')) && existsSync(join(etc, 'config.json'))) statusEnv.SSCARD_CONFIG = join(etc, 'config.json');
  const fixed = env.SSCARD_NOW ? new Date(env.SSCARD_NOW) : undefined;
  return {
    env,
    dataDir,
    stateDir: stateDir(env),
    home,
    daemonConfig,
    daemonConfigFile,
    daemonConfigError,
    statusEnv,
    policyDir: env.SSCARD_BROWSER_POLICY_DIR || CHROMIUM_POLICY_DIR,
    systemCaBundle: env.SSCARD_CA_BUNDLE || SYSTEM_CA_BUNDLE,
    nssDb: join(home, '.pki', 'nssdb'),
    now: fixed && !Number.isNaN(fixed.getTime()) ? fixed : new Date(),
  };
}

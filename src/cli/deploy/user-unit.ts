import { join } from 'node:path';

/** Unit name of the daemon, for the user manager (and the package's kiosk system unit). */
export const UNIT_NAME = 'sscard.service';

/** `~/.config/systemd/user` (`$XDG_CONFIG_HOME/systemd/user`): where user units of this user live (systemd.unit(5)). */
export function userUnitDir(env: NodeJS.ProcessEnv, home: string): string {
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'systemd', 'user');
}

/** Quotes one word for an Exec= line (systemd.service(5), "Command lines"). */
export function execWord(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `"${word.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '$$$$').replace(/%/g, '%%')}"`;
}

/**
 * The user unit for installs without the package (`sscard service install`): the same service as
 * the package's /usr/lib/systemd/user/sscard.service, started through this checkout's launcher
 * (`bin/sscard`: the daemon's memory settings, docs/performance.md) with this checkout's node
 * (`SSCARD_NODE`: the user manager's PATH may have none, or another).
 */
export function userUnitText(o: { node: string; launcher: string; args: readonly string[]; env: Readonly<Record<string, string>> }): string {
  const exec = [o.launcher, 'daemon', ...o.args].map(execWord).join(' ');
  const envLines = Object.entries({ SSCARD_NODE: o.node, ...o.env }).map(([k, v]) => `Environment=${execWord(`${k}=${v}`)}`);
  return [
    '[Unit]',
    'Description=sscard local daemon for social security card readers (HIS web pages)',
    'Documentation=https://github.com/sscard/sscard/blob/main/docs/deploy.md',
    '',
    '[Service]',
    'Type=simple',
    ...envLines,
    `ExecStart=${exec}`,
    // SIGUSR2 toggles debug logging (docs/deploy.md, "Logs"); SIGTERM stops gracefully.
    'Restart=on-failure',
    'RestartSec=2',
    'UMask=0077',
    'NoNewPrivileges=yes',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

import { isIP } from 'node:net';
import type { Command } from 'commander';
import { dataDirOf } from '../../compose/data-dir.js';
import { checkProfile, defaultProfileId } from '../../compose/reader-sources.js';
import { loadDaemonConfig, normalizeOrigin, parseDaemonConfig, type DaemonConfig } from '../../daemon/daemon-config.js';
import { startDaemon } from '../../daemon/start-daemon.js';
import { installLogSignal, serviceLoggerFor } from '../../daemon/log/service-logger.js';
import { stateDir } from '../../daemon/log/state-dir.js';
import { out } from '../cli-context.js';
import { browserReachLines, CERT_CHECK_INTERVAL_MS, loadTls, renewIfDue } from './daemon-browser-reach.js';
import { CliError } from '../cli-error.js';

interface DaemonOptions {
  port?: string;
  sim?: boolean;
  profile?: string[];
  config?: string;
  allowOrigin?: string[];
  unsafeBind?: string[];
  logLevel?: string;
  tls?: boolean;
  demo?: boolean;
  keys?: string;
  keysFile?: string;
  psamReader?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * `sscard daemon`: the local WebSocket daemon for HIS / POS web pages (docs/daemon.md). Listens
 * on 127.0.0.1 and ::1 only; pages are refused until their origin is allow-listed; local
 * programs present the token from the 0600 token file.
 */
export function registerDaemon(program: Command): void {
  program
    .command('daemon')
    .description('run the local WebSocket daemon for web pages (127.0.0.1 / ::1 only; see docs/daemon.md)')
    .option('--port <n>', 'port (default 47815, or the config file)')
    .option('--sim', 'enable the built-in SIMULATED card reader')
    .option('--profile <id>', 'profile of a simulated card (implies --sim; repeat for several readers)', collect)
    .option('--config <file>', 'daemon config file (default <data dir>/daemon.json when present)')
    .option('--allow-origin <url>', 'allow a browser origin (reader role); repeatable', collect)
    .option('--unsafe-bind <addr>', 'ALSO listen on this non-loopback IP address (unsafe; prints a warning); repeatable', collect)
    .option('--log-level <level>', 'fatal | error | warn | info | debug | silent')
    .option('--tls', 'also serve https:// and wss:// on the same port (certificate from `sscard cert`, made when missing)')
    .option('--demo', 'serve the demo HIS page at http://127.0.0.1:PORT/demo/ (its own origin: no allow-list entry needed)')
    .option('--keys <source>', 'keys of the counter operations: soft (default) | psam')
    .option('--keys-file <path>', 'soft: master-key file (default: the public TEST keys, simulated readers only)')
    .option('--psam-reader <name>', 'psam: the reader (name or id) holding the PSAM')
    .action(async (opts: DaemonOptions) => {
      const dataDir = dataDirOf(process.env);
      const { config: fileConfig, file } = loadDaemonConfig({ file: opts.config, dataDir });
      const config = applyFlags(fileConfig, opts);
      for (const addr of opts.unsafeBind ?? []) {
        if (isIP(addr) === 0) throw new CliError('BAD_ARGUMENT', `--unsafe-bind takes an IP address, got "${addr}"`);
      }
      const logging = serviceLoggerFor(config, stateDir(process.env));
      const unhookSignal = installLogSignal(logging);
      const tls = opts.tls ? await loadTls(dataDir) : undefined;
      const daemon = await startDaemon({ config, dataDir, log: logging.log, ...(opts.unsafeBind ? { unsafeBind: opts.unsafeBind } : {}), ...(tls ? { tls } : {}), demo: opts.demo === true });
      for (const a of daemon.listening) out(`sscard daemon listening on ws://${a}/ (health: http://${a}/health)`);
      if (opts.unsafeBind?.length) out(`WARNING: --unsafe-bind ${opts.unsafeBind.join(', ')}: reachable beyond this machine`);
      const certCheck = tls
        ? setInterval(() => void renewIfDue({ dataDir, apply: (c) => daemon.server.setCertificate(c), log: daemon.log }), CERT_CHECK_INTERVAL_MS).unref()
        : undefined;
      out(`config: ${file ?? 'defaults (no daemon.json)'}`);
      out(`log: ${logging.file ?? 'stderr only'} (level ${config.logLevel}; SIGUSR2 toggles debug)`);
      out(`token file (local programs, reader role): ${daemon.tokens.readerFile}`);
      out(`counter token file (counter role): ${daemon.tokens.counterFile}`);
      const origins = config.allowedOrigins.map((o) => `${o.origin} (${o.role})`);
      out(`allowed origins: ${origins.length ? origins.join(', ') : 'none (browser pages are refused until listed)'}`);
      out(config.simulated.enabled ? `SIMULATED readers enabled: ${config.simulated.profiles.join(', ')}` : 'simulated readers: off');
      // SIGHUP: forget the loaded keys; the next counter operation loads the key file again.
      const reload = (): void => {
        daemon.reloadKeys();
        out('keys reloaded');
      };
      process.on('SIGHUP', reload);
      for (const line of browserReachLines(daemon.port, tls, opts.demo === true)) out(line); // last: the demo address is what a newcomer opens
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      if (certCheck) clearInterval(certCheck);
      process.off('SIGHUP', reload);
      out('sscard daemon stopping');
      await daemon.stop();
      unhookSignal();
      await logging.close();
    });
}

function applyFlags(base: DaemonConfig, opts: DaemonOptions): DaemonConfig {
  const next = structuredClone(base) as Record<string, unknown> & DaemonConfig;
  if (opts.port !== undefined) {
    const n = Number(opts.port);
    if (!/^[0-9]+$/.test(opts.port) || n < 1 || n > 65535) throw new CliError('BAD_ARGUMENT', `--port must be 1-65535, got "${opts.port}"`);
    next.port = n;
  }
  if (opts.sim || opts.profile?.length) {
    const profiles = opts.profile?.length ? opts.profile : base.simulated.enabled ? base.simulated.profiles : [defaultProfileId];
    for (const p of profiles) checkProfile(p); // PROFILE_NOT_FOUND now, not at the first read
    next.simulated = { enabled: true, profiles };
  }
  for (const o of opts.allowOrigin ?? []) {
    const origin = normalizeOrigin(o);
    if (!origin) throw new CliError('BAD_ARGUMENT', `--allow-origin must be an http(s) origin like https://his.example.org (no path, no wildcard), got "${o}"`);
    if (!next.allowedOrigins.some((a) => a.origin === origin)) next.allowedOrigins = [...next.allowedOrigins, { origin, role: 'reader', photo: false }];
  }
  if (opts.keys !== undefined || opts.keysFile !== undefined || opts.psamReader !== undefined) {
    if (opts.keys !== undefined && opts.keys !== 'soft' && opts.keys !== 'psam') throw new CliError('BAD_ARGUMENT', `--keys must be soft or psam, got "${opts.keys}"`);
    next.counterKeys = {
      ...base.counterKeys,
      ...(opts.keys !== undefined ? { source: opts.keys } : {}),
      ...(opts.keysFile !== undefined ? { keysFile: opts.keysFile } : {}),
      ...(opts.psamReader !== undefined ? { psamReader: opts.psamReader } : {}),
    };
  }
  if (opts.logLevel !== undefined) next.logLevel = opts.logLevel as DaemonConfig['logLevel'];
  return parseDaemonConfig(next, 'command line');
}

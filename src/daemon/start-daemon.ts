import type { Logger } from 'pino';
import { composeOperations, type Composition } from '../compose/compose-operations.js';
import { hidWanted, pcscWanted } from '../compose/reader-sources.js';
import type { CardServiceOptions, CardService } from '../service/card-service.js';
import type { ReaderRegistry } from '../service/reader-registry.js';
import type { InProcessReaderSource, ReaderSource } from '../compose/reader-parts.js';
import { createHandlers } from './daemon-handlers.js';
import { NATIONAL_HSM_STEP1_PATH, NATIONAL_HSM_STEP2_PATH, NATIONAL_HTTP_PATH, nationalHsmStep1Route, nationalHsmStep2Route, nationalHttpRoute } from './national-http.js';
import { nationalPinHttpRoutes } from './national-pin-http.js';
import { ThCardReaderBridge } from './bridges/th-card-reader-bridge.js';
import { DecardWsBridge } from './bridges/decard-ws-bridge.js';
import { nationalOptions } from '../service/national/national-options.js';
import { installationKeyIfPresent } from '../compose/installation-key-file.js';
import type { DaemonConfig } from './daemon-config.js';
import { createDaemonLogger } from './daemon-logger.js';
import { DaemonServer, daemonPinBudget } from './daemon-server.js';
import { loadOrCreateTokens, type DaemonTokens } from './daemon-tokens.js';
import { SSCARD_VERSION } from './version.js';
import { applyDaemonUmask, secureDataDir } from './data-dir-guard.js';
import { checkedOperatorDefaults } from '../compose/operator-defaults.js';

export interface StartDaemonOptions {
  readonly config: DaemonConfig;
  /** Where the token files live (and the status registry, unless env says otherwise). */
  readonly dataDir: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly unsafeBind?: readonly string[];
  readonly log?: Logger;
  /** PC/SC readers (default true). Tests of the daemon alone can turn them off. */
  readonly pcsc?: boolean;
  /** Extra reader sources (tests: in-process simulated readers with insert/remove hooks). */
  readonly extraSources?: readonly ReaderSource[];
  /** Transcript hook of the card service (tests). */
  readonly transcript?: CardServiceOptions['transcript'];
  /** Also serve https:// and wss:// on the port with this certificate (`--tls`, docs/browsers.md). */
  readonly tls?: { readonly certPem: string; readonly keyPem: string };
  /** Serve the demo HIS page at /demo/ (`--demo`). */
  readonly demo?: boolean;
}

export interface RunningDaemon {
  readonly port: number;
  readonly listening: readonly string[];
  readonly tokens: DaemonTokens;
  readonly registry: ReaderRegistry;
  readonly service: CardService;
  readonly server: DaemonServer;
  /** The built-in simulated readers, when enabled. */
  readonly simulated: InProcessReaderSource | undefined;
  readonly log: Logger;
  /** The vendor-dialect bridges that are enabled (docs/bridges.md). */
  readonly bridges: { readonly thCardReader: ThCardReaderBridge | undefined; readonly decard: DecardWsBridge | undefined };
  /** Forgets the loaded key material; the next counter operation loads it again (SIGHUP). */
  reloadKeys(): void;
  /** Graceful shutdown: stop accepting, finish (or cancel after a grace) the card operations, close everything. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts the daemon: the card operations from the composition root (src/compose: reader sources,
 * the built-in SIMULATED readers only when the config enables them, the card service, keys, the
 * status registry), the tokens, and the server.
 */
export async function startDaemon(o: StartDaemonOptions): Promise<RunningDaemon> {
  const env = o.env ?? process.env;
  const log = o.log ?? createDaemonLogger(o.config.logLevel);
  applyDaemonUmask();
  const statusDir = env.SSCARD_DATA_DIR ?? o.dataDir;
  for (const dir of new Set([o.dataDir, statusDir])) secureDataDir(dir);
  const pcscOn = o.pcsc ?? pcscWanted(env);
  const tokens = loadOrCreateTokens(o.dataDir);
  const composed = composeOperations({
    readers: {
      // SSCARD_NO_PCSC=1: no PC/SC at all, as for every other command (docs/cli.md).
      pcsc: pcscOn,
      // USB-HID readers (docs/readers.md) come with the hardware readers.
      hid: pcscOn && hidWanted(env),
      simulatedProfiles: o.config.simulated.enabled ? o.config.simulated.profiles : [],
      extra: o.extraSources,
    },
    keys: { ...o.config.counterKeys, optionalUse: false, nationalRead: true },
    status: 'optional',
    env: { ...env, SSCARD_DATA_DIR: statusDir },
    service: { operationTimeoutMs: o.config.limits.operationTimeoutMs, queueTimeoutMs: o.config.limits.queueTimeoutMs, transcript: o.transcript },
    notice: (line) => log.warn(line),
    onStatusUnavailable: (e) =>
      log.warn({ code: (e as { code?: string }).code ?? 'UNKNOWN' }, 'card-status registry unavailable: status answers will be STATUS_UNAVAILABLE'),
    // The daemon's own site / default operator, checked now: bad or missing ones are its
    // administrator's fault (DAEMON_NOT_CONFIGURED), never a client's INVALID_PARAMS.
    checkOperatorDefaults: (defaults) => checkedOperatorDefaults(defaults, log),
  });
  const { readers: registry, cards: service, simulated, pcscUp } = composed;
  // Debug only (docs/deploy.md, "Logs"): reader ids and event types, never ATRs or card data.
  registry.on((e) => log.debug({ event: e.type, reader: 'reader' in e ? e.reader.id : undefined }, 'reader event'));
  const national = nationalOptions(o.config.national, 'daemon config national');
  const installationKey = installationKeyIfPresent(o.dataDir);
  const handlers = createHandlers({ operations: composed.operations, readers: registry, pcscUp, national, installationKey });
  const simulatedReaders = simulated !== undefined || (o.extraSources ?? []).some((s) => s.monitor.readers().some((r) => r.reader.simulated));
  // one PIN budget for the JSON-RPC connections and the Decard bridge (a page must not get two)
  const pinBudget = daemonPinBudget(o.config);
  const server = new DaemonServer({
    config: o.config,
    pinBudget,
    registry,
    handlers,
    tokens,
    log,
    version: SSCARD_VERSION,
    simulatedReaders,
    pcscUp,
    httpRoutes: {
      [NATIONAL_HTTP_PATH]: nationalHttpRoute({ operations: composed.operations, national, tokens, log, installationKey }),
      ...nationalPinHttpRoutes({ operations: composed.operations, national, tokens, log, pinPerMinute: o.config.limits.pinVerifyPerMinute }),
      [NATIONAL_HSM_STEP1_PATH]: nationalHsmStep1Route({ operations: composed.operations, national, tokens, log }),
      [NATIONAL_HSM_STEP2_PATH]: nationalHsmStep2Route({ operations: composed.operations, national, tokens, log }),
    },
    ...(o.unsafeBind ? { unsafeBind: o.unsafeBind } : {}),
    statusStore: () => storeHealth(composed.statusRegistry),
    ...(o.tls ? { tls: o.tls } : {}),
    demo: o.demo === true,
  });
  // Status changes (on PostgreSQL: made through any daemon of the region) reach subscribed pages.
  const unwatchStatus = composed.statusRegistry?.onChange((cic) => server.broadcast({ type: 'card-status-changed', cardIdentificationCode: cic }));

  const th = o.config.bridges.thCardReader;
  const thCardReader = th.enabled
    ? new ThCardReaderBridge({ host: '127.0.0.1', port: th.port, resetDriverRoute: th.resetDriverRoute, allowedOrigins: o.config.allowedOrigins, tokens, operations: composed.operations, national, log, installationKey, maxInFlight: o.config.limits.maxPending })
    : undefined;
  const dc = o.config.bridges.decard;
  const decard = dc.enabled
    ? new DecardWsBridge({ host: '127.0.0.1', port: dc.port, allowedOrigins: o.config.allowedOrigins, tokens, operations: composed.operations, national, log, maxConnections: o.config.limits.maxConnections, pinBudget })
    : undefined;
  await composed.start();
  try {
    await server.start();
  } catch (e) {
    unwatchStatus?.();
    await composed.close(0);
    throw e;
  }
  try {
    await thCardReader?.start();
    await decard?.start();
  } catch (e) {
    await thCardReader?.stop();
    await server.stop(() => service.stop(0));
    await composed.close(0);
    throw e;
  }
  if (thCardReader) log.info({ bridge: 'thCardReader', port: thCardReader.port }, 'bridge listening on 127.0.0.1');
  if (decard) log.info({ bridge: 'decard', port: decard.port }, 'bridge listening on 127.0.0.1');
  log.info({ listening: server.listening, simulated: simulatedReaders, pcsc: pcscOn, readers: registry.readers().length }, 'daemon listening');

  let stopped: Promise<void> | undefined;
  return {
    port: server.port,
    listening: server.listening,
    tokens,
    registry,
    service,
    server,
    simulated,
    log,
    reloadKeys: () => composed.operations.deps.keys.reload(),
    bridges: { thCardReader, decard },
    stop(graceMs = 5000) {
      stopped ??= (async () => {
        unwatchStatus?.();
        await thCardReader?.stop();
        await decard?.stop();
        await server.stop(() => service.stop(graceMs));
        await composed.close(graceMs);
        log.info('daemon stopped');
      })();
      return stopped;
    },
  };
}

function storeHealth(r: Composition['statusRegistry']) {
  if (!r) return { backend: 'none', state: 'down' } as const;
  const s = r.storeState();
  return { backend: s.backend, state: s.state, ...(s.error ? { error: s.error } : {}) };
}

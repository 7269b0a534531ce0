import type { Logger } from 'pino';
import { createSimulatedCard } from '../../simulators/create-card.js';
import { CardService, type CardServiceOptions } from '../service/card-service.js';
import { ReaderRegistry } from '../service/reader-registry.js';
import type { CardStatusRegistry } from '../status/card-status-registry.js';
import { openCardStatusRegistry } from '../status/open-card-status-registry.js';
import { InProcessReaderSource } from '../transport/in-process/in-process-reader-source.js';
import { PcscReaderSource } from '../transport/pcsc/pcsc-reader-source.js';
import type { ReaderSource } from '../transport/reader-source.js';
import { createHandlers } from './daemon-handlers.js';
import type { DaemonConfig } from './daemon-config.js';
import { createDaemonLogger } from './daemon-logger.js';
import { DaemonServer } from './daemon-server.js';
import { loadOrCreateTokens, type DaemonTokens } from './daemon-tokens.js';
import { createPinOperations } from './daemon-pin-operations.js';
import { SSCARD_VERSION } from './version.js';
import { applyDaemonUmask, secureDataDir } from './data-dir-guard.js';
import { checkedOperatorDefaults } from './operator-defaults.js';

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
  /** Graceful shutdown: stop accepting, finish (or cancel after a grace) the card operations, close everything. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Composition root of the daemon: reader sources (PC/SC, plus the built-in SIMULATED readers only
 * when the config enables them), the card service, the status registry, the PIN operations, the
 * tokens, and the server.
 */
export async function startDaemon(o: StartDaemonOptions): Promise<RunningDaemon> {
  const env = o.env ?? process.env;
  const log = o.log ?? createDaemonLogger(o.config.logLevel);
  applyDaemonUmask();
  const statusDir = env.SSCARD_DATA_DIR ?? o.dataDir;
  for (const dir of new Set([o.dataDir, statusDir])) secureDataDir(dir);
  const tokens = loadOrCreateTokens(o.dataDir);
  // SSCARD_NO_PCSC=1: no PC/SC at all, as for every other command (docs/cli.md).
  const pcsc = o.pcsc === false || (o.pcsc === undefined && env.SSCARD_NO_PCSC === '1') ? undefined : new PcscReaderSource();
  const simulated = o.config.simulated.enabled
    ? new InProcessReaderSource(o.config.simulated.profiles.map((profileId) => ({ profileId, card: createSimulatedCard(profileId) })))
    : undefined;
  const sources: ReaderSource[] = [...(pcsc ? [pcsc] : []), ...(simulated ? [simulated] : []), ...(o.extraSources ?? [])];
  const registry = new ReaderRegistry(sources);
  const service = new CardService(registry, {
    operationTimeoutMs: o.config.limits.operationTimeoutMs,
    queueTimeoutMs: o.config.limits.queueTimeoutMs,
    transcript: o.transcript,
  });

  let statusRegistry: CardStatusRegistry | null = null;
  let site: string | undefined;
  let operator: string | undefined;
  try {
    const opened = openCardStatusRegistry({ env: { ...env, SSCARD_DATA_DIR: statusDir } });
    statusRegistry = opened.registry;
    ({ site, operator } = checkedOperatorDefaults(opened.config, log));
  } catch (e) {
    log.warn({ code: (e as { code?: string }).code ?? 'UNKNOWN' }, 'card-status registry unavailable: status answers will be STATUS_UNAVAILABLE');
  }

  const pcscUp = (): boolean => (pcsc ? pcsc.manager.state === 'up' || pcsc.manager.state === 'settling' : false);
  const handlers = createHandlers({ service, statusRegistry, site, operator, pcscUp, pin: createPinOperations(service, statusRegistry, o.config.counterKeys) });
  const simulatedReaders = simulated !== undefined || (o.extraSources ?? []).some((s) => s.monitor.readers().some((r) => r.reader.simulated));
  const server = new DaemonServer({
    config: o.config,
    registry,
    handlers,
    tokens,
    log,
    version: SSCARD_VERSION,
    simulatedReaders,
    pcscUp,
    ...(o.unsafeBind ? { unsafeBind: o.unsafeBind } : {}),
  });

  await registry.start();
  try {
    await server.start();
  } catch (e) {
    await registry.stop();
    await statusRegistry?.close();
    throw e;
  }
  log.info({ listening: server.listening, simulated: simulatedReaders, pcsc: pcsc !== undefined, readers: registry.readers().length }, 'daemon listening');

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
    stop(graceMs = 5000) {
      stopped ??= (async () => {
        await server.stop(() => service.stop(graceMs));
        await registry.stop();
        await statusRegistry?.close();
        log.info('daemon stopped');
      })();
      return stopped;
    },
  };
}

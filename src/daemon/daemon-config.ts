import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_PORT, MAX_MESSAGE_BYTES } from './protocol/api-level.js';
import { DaemonError } from './daemon-error.js';
import { HARDENING_DEFAULTS, HARDENING_LIMITS } from './hardening-limits.js';

/** A browser origin as the Origin header carries it: scheme://host[:port], no path; never `null` or `*`. */
export function normalizeOrigin(text: string): string | undefined {
  if (text === 'null' || text.includes('*')) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) return undefined;
  return url.origin;
}

const origin = z.string().transform((s, ctx) => {
  const o = normalizeOrigin(s);
  if (!o) {
    ctx.addIssue({ code: 'custom', message: 'must be an http(s) origin like https://his.example.org:8443 (no path, no wildcard, not "null")' });
    return z.NEVER;
  }
  return o;
});

const allowedOrigin = z.union([
  origin.transform((o) => ({ origin: o, role: 'reader' as const, photo: false })),
  // `photo`: a reader-role page (a hospital desk) may also read the holder's photo (docs/daemon.md).
  z.strictObject({ origin, role: z.enum(['reader', 'counter']).default('reader'), photo: z.boolean().default(false) }),
]);

/** The daemon's config file (`--config FILE`, else `<data dir>/daemon.json` when present). Unknown keys are refused. */
export const daemonConfigSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).default(DEFAULT_PORT).describe("0 = any free port (tests)"),
  /** Browser origins allowed to connect, with their role. Empty by default: every page is refused until listed. */
  allowedOrigins: z.array(allowedOrigin).max(100).default([]),
  simulated: z
    .strictObject({
      enabled: z.boolean().default(false),
      profiles: z.array(z.string().min(1).max(200)).min(1).max(8).default(['demo']),
    })
    .default({ enabled: false, profiles: ['demo'] }),
  /**
   * Keys of the counter operations (pin.reset, pin.unblock, card.block): a soft master-key file.
   * Without one, the public TEST keys are used on the built-in simulated readers only, and on
   * other readers only with `allowTestKeys` (test benches with vpcd).
   */
  counterKeys: z
    .strictObject({
      source: z.enum(['soft', 'psam']).default('soft').describe('soft: a master-key file; psam: a PSAM in another reader slot'),
      keysFile: z.string().min(1).optional(),
      allowTestKeys: z.boolean().default(false),
      psamReader: z.string().min(1).max(200).optional().describe('psam: the reader (name or id) holding the PSAM'),
    })
    .refine((k) => k.source !== 'psam' || k.psamReader !== undefined, { message: 'source psam needs psamReader', path: ['psamReader'] })
    .default({ source: 'soft', allowTestKeys: false }),
  /** Settings of the national-interface results (card.readBas; docs/national-interface.md). Defaults: apdu-specs/national-interface.json. */
  national: z
    .strictObject({
      encoding: z.enum(['utf-8', 'gbk']).optional().describe('byte encoding of the C libraries\' output buffers'),
      extraTrailingSeparator: z.boolean().optional(),
      deviceNumber: z.string().optional(),
      refuseRegistryLocked: z.boolean().optional(),
      registryLockedCode: z.number().int().max(-1).optional(),
    })
    .default({}),
  /** Localhost bridges in vendor dialects (docs/bridges.md): each off unless enabled, each behind the same Host/Origin/token rules. */
  bridges: z
    .strictObject({
      thCardReader: z
        .strictObject({
          enabled: z.boolean().default(false),
          port: z.number().int().min(0).max(65535).default(8321).describe('0 = any free port (tests)'),
          /** The original's ResetDriver route is not known (his-integration §9): GET or POST here answers it. */
          resetDriverRoute: z
            .string()
            .regex(/^\/[A-Za-z0-9/_.-]{1,200}$/, 'a path like /api/resetDriver')
            .default('/api/resetDriver'),
        })
        .default({ enabled: false, port: 8321, resetDriverRoute: '/api/resetDriver' }),
      decard: z
        .strictObject({
          enabled: z.boolean().default(false),
          port: z.number().int().min(0).max(65535).default(50150).describe('0 = any free port (tests)'),
        })
        .default({ enabled: false, port: 50150 }),
    })
    .default({ thCardReader: { enabled: false, port: 8321, resetDriverRoute: '/api/resetDriver' }, decard: { enabled: false, port: 50150 } }),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
  /** JSON-lines log file in the state directory, rotated by size (docs/deploy.md, "Logs"). */
  logFile: z
    .strictObject({
      enabled: z.boolean().default(true),
      maxSize: z.string().regex(/^[1-9][0-9]{0,5}[KMG]$/, 'a size like 10M (K, M or G)').default('10M'),
      keep: z.number().int().min(1).max(100).default(5),
    })
    .default({ enabled: true, maxSize: '10M', keep: 5 }),
  limits: z
    .strictObject({
      /** Sustained requests per second per connection (token bucket refill). */
      requestsPerSecond: z.number().positive().max(10_000).default(50),
      /** Burst size of the per-connection bucket. */
      burst: z.number().int().positive().max(100_000).default(200),
      /** Requests in flight per connection. */
      maxPending: z.number().int().positive().max(1000).default(32),
      /** pin.verify attempts per origin (or per token role) per minute. */
      pinVerifyPerMinute: z.number().int().positive().max(600).default(10),
      /**
       * PIN presentations per connection per minute: one connection's share of the origin's
       * budget, so it cannot spend what the origin's other connections need. Default: half the
       * per-origin figure (rounded up).
       */
      pinPerConnectionPerMinute: z.number().int().positive().max(600).optional(),
      /** Simultaneous connections. */
      maxConnections: z.number().int().positive().max(10_000).default(256),
      /** Longest operation on a card (ms). */
      operationTimeoutMs: z.number().int().positive().max(600_000).default(20_000),
      /** Longest wait in a reader's queue (ms). */
      queueTimeoutMs: z.number().int().positive().max(600_000).default(30_000),
      ...HARDENING_LIMITS,
    })
    .default({
      requestsPerSecond: 50,
      burst: 200,
      maxPending: 32,
      pinVerifyPerMinute: 10,
      maxConnections: 256,
      operationTimeoutMs: 20_000,
      queueTimeoutMs: 30_000,
      ...HARDENING_DEFAULTS,
    }),
});

export type DaemonConfig = z.output<typeof daemonConfigSchema>;
export type AllowedOrigin = DaemonConfig['allowedOrigins'][number];

export { MAX_MESSAGE_BYTES };

/** Parses a config value (from a file or a test), naming every problem. Throws DaemonError BAD_CONFIG. */
export function parseDaemonConfig(value: unknown, where = 'daemon config'): DaemonConfig {
  const r = daemonConfigSchema.safeParse(value);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new DaemonError('BAD_CONFIG', `${where}: ${issues}`);
  }
  return r.data;
}

/** Reads the config file: the explicit one must exist; `<dataDir>/daemon.json` is optional. */
export function loadDaemonConfig(options: { file?: string | undefined; dataDir: string }): { config: DaemonConfig; file: string | null } {
  const file = options.file ?? join(options.dataDir, 'daemon.json');
  if (!existsSync(file)) {
    if (options.file) throw new DaemonError('BAD_CONFIG', `config file ${file} does not exist`);
    return { config: parseDaemonConfig({}), file: null };
  }
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DaemonError('BAD_CONFIG', `${file}: not valid JSON (${(e as Error).message})`);
  }
  return { config: parseDaemonConfig(value, file), file };
}

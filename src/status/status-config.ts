import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_LOCK_DAYS, parseOperator, parseSite, type StatusPolicy } from './status-policy.js';
import { StatusError } from './status-error.js';

/**
 * Where the registry keeps its files and whose name it writes (docs/status.md, "Configuration").
 * Precedence for site and operator: explicit value (CLI flag) > `$SSCARD_SITE` / `$SSCARD_OPERATOR`
 * > the config file (`$SSCARD_CONFIG`, else `<data dir>/config.json` when it exists).
 */
export interface StatusConfig {
  readonly dataDir: string;
  /** The SQLite file (used when `database.kind` is `sqlite`). */
  readonly databaseFile: string;
  /** Which store: `$SSCARD_STATUS_DB` > config `status.db` > the SQLite file in the data dir. */
  readonly database: StatusDatabase;
  /** The config file that was read, or null when none exists. */
  readonly configFile: string | null;
  readonly site: string | undefined;
  readonly operator: string | undefined;
  readonly policy: StatusPolicy;
}

const configFileSchema = z.strictObject({
  site: z.string().min(1).optional(),
  operator: z.string().min(1).optional(),
  lockDays: z
    .record(z.string(), z.number().int().min(1).max(366))
    .refine((r) => Object.keys(r).every((k) => k === 'default' || /^[0-9]{6}$/.test(k)), {
      message: 'keys must be "default" or 6-digit region codes',
    })
    .optional(),
  issuingArea: z.enum(['province', 'city', 'region']).optional(),
  status: z
    .strictObject({
      /** `postgres://` / `postgresql://` URL (shared region store) or an SQLite file path. */
      db: z.string().min(1).max(2000).optional(),
      /** Connections per process to PostgreSQL (default 4). */
      poolSize: z.number().int().min(1).max(100).optional(),
    })
    .optional(),
});

/** Where the registry lives (docs/status.md, "Store"). */
export type StatusDatabase =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly poolSize: number };

export const DEFAULT_POOL_SIZE = 4;

export type StatusConfigFile = z.infer<typeof configFileSchema>;

/** `$SSCARD_DATA_DIR`, else `$XDG_DATA_HOME/sscard`, else `~/.local/share/sscard`. */
export function statusDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SSCARD_DATA_DIR) return env.SSCARD_DATA_DIR;
  if (env.XDG_DATA_HOME) return join(env.XDG_DATA_HOME, 'sscard');
  return join(env.HOME || homedir(), '.local', 'share', 'sscard');
}

export const DATABASE_FILE_NAME = 'status.sqlite';

export function loadStatusConfig(
  options: { env?: NodeJS.ProcessEnv; site?: string | undefined; operator?: string | undefined } = {},
): StatusConfig {
  const env = options.env ?? process.env;
  const dataDir = statusDataDir(env);
  const explicit = env.SSCARD_CONFIG ? env.SSCARD_CONFIG : undefined;
  const configFile = explicit ?? join(dataDir, 'config.json');
  const file = readConfigFile(configFile, explicit !== undefined);
  const days = file?.lockDays ?? {};
  const { default: defaultDays, ...byRegion } = days;
  const database = statusDatabase(env.SSCARD_STATUS_DB || file?.status?.db, join(dataDir, DATABASE_FILE_NAME), poolSize(env, file));
  return {
    dataDir,
    databaseFile: database.kind === 'sqlite' ? database.file : join(dataDir, DATABASE_FILE_NAME),
    database,
    configFile: file ? configFile : null,
    site: options.site || env.SSCARD_SITE || file?.site,
    operator: options.operator || env.SSCARD_OPERATOR || file?.operator,
    policy: {
      defaultLockDays: defaultDays ?? DEFAULT_LOCK_DAYS,
      lockDaysByRegion: byRegion,
      issuingAreaDigits: file?.issuingArea === 'region' ? 6 : file?.issuingArea === 'city' ? 4 : 2,
    },
  };
}

/** A `postgres://` or `postgresql://` URL selects PostgreSQL; a path selects that SQLite file; nothing the default file. */
export function statusDatabase(setting: string | undefined, defaultFile: string, pool: number = DEFAULT_POOL_SIZE): StatusDatabase {
  const v = setting?.trim();
  if (!v) return { kind: 'sqlite', file: defaultFile };
  if (/^postgres(ql)?:\/\//i.test(v)) {
    try {
      new URL(v);
    } catch {
      throw new StatusError('BAD_CONFIG', 'SSCARD_STATUS_DB / status.db is not a valid postgres:// URL');
    }
    return { kind: 'postgres', url: v, poolSize: pool };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
    throw new StatusError('BAD_CONFIG', 'SSCARD_STATUS_DB / status.db must be a postgres:// URL or an SQLite file path');
  }
  return { kind: 'sqlite', file: v };
}

function poolSize(env: NodeJS.ProcessEnv, file: StatusConfigFile | undefined): number {
  const v = env.SSCARD_STATUS_DB_POOL;
  if (v === undefined || v === '') return file?.status?.poolSize ?? DEFAULT_POOL_SIZE;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new StatusError('BAD_CONFIG', 'SSCARD_STATUS_DB_POOL must be a whole number 1-100');
  return n;
}

/** The database location for messages and /health: the URL without user info and password. */
export function describeDatabase(db: StatusDatabase): string {
  if (db.kind === 'sqlite') return db.file;
  try {
    const u = new URL(db.url);
    const host = u.searchParams.get('host') ?? u.host;
    return `postgres://${host}${u.pathname}`;
  } catch {
    return 'postgres://(unparsable)';
  }
}

function readConfigFile(path: string, required: boolean): StatusConfigFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (!required && (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StatusError('BAD_CONFIG', `cannot read config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new StatusError('BAD_CONFIG', `config file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = configFileSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
    throw new StatusError('BAD_CONFIG', `config file ${path} is invalid: ${issues}`);
  }
  try {
    if (parsed.data.site !== undefined) parseSite(parsed.data.site);
    if (parsed.data.operator !== undefined) parseOperator(parsed.data.operator);
  } catch (e) {
    throw new StatusError('BAD_CONFIG', `config file ${path} is invalid: ${(e as Error).message}`);
  }
  return parsed.data;
}

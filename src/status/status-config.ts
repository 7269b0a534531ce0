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
  readonly databaseFile: string;
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
});

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
  return {
    dataDir,
    databaseFile: join(dataDir, DATABASE_FILE_NAME),
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

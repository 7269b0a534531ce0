import { DaemonError } from '../daemon-error.js';

/**
 * The keys of the HeaSecReadInfo Init JSON (NHSA spec §1.14.1, docs/reference/his-integration.md §5)
 * that `POST /api/jiangsu/init` may carry, with the type each must have. All are optional (the
 * bridge's body is a subset); other keys are ignored. ACCESS_KEY and SECRETKEY are CSB credentials.
 */
const INIT_KEYS: Readonly<Record<string, 'string' | 'port' | 'seconds' | 'passType' | 'number' | 'any'>> = {
  IP: 'string',
  PORT: 'port',
  TIMEOUT: 'seconds',
  LOG_PATH: 'string',
  EC_URL: 'string',
  CARD_PASSTYPE: 'passType',
  API_NAME: 'string',
  API_VERSION: 'string',
  ACCESS_KEY: 'string',
  SECRETKEY: 'string',
  ORG_ID: 'string',
  EXT: 'any',
  AREA_CODE: 'string',
  SFZ_DRIVER_TYPE: 'number',
};
const MAX_STRING = 2048;

/**
 * Checks an Init body and returns the names of the known keys it carried. Nothing else is returned
 * or kept: sscard reads the card offline and calls no platform, so the values (credentials
 * included) are dropped after the check (docs/bridges.md). A failure names the key and what was
 * expected, never the value (`BAD_INIT_CONFIG`).
 */
export function checkJiangsuInit(text: string): string[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new DaemonError('BAD_INIT_CONFIG', 'the body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new DaemonError('BAD_INIT_CONFIG', 'the body must be a JSON object');
  const given: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    const kind = INIT_KEYS[key];
    if (kind === undefined) continue;
    const problem = problemOf(kind, value);
    if (problem) throw new DaemonError('BAD_INIT_CONFIG', `${key}: ${problem}`);
    given.push(key);
  }
  return given;
}

function problemOf(kind: (typeof INIT_KEYS)[string], v: unknown): string | undefined {
  switch (kind) {
    case 'string':
      return typeof v !== 'string' ? 'must be a string' : v.length > MAX_STRING ? `longer than ${MAX_STRING} characters` : undefined;
    case 'port':
      return Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535 ? undefined : 'must be a port number 1-65535';
    case 'seconds':
      return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 86_400 ? undefined : 'must be whole seconds 0-86400';
    case 'passType':
      return v === '1' || v === '2' ? undefined : 'must be "1" (card PIN) or "2" (database password)';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? undefined : 'must be a number';
    case 'any':
      return undefined;
  }
}

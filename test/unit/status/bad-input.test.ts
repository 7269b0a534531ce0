import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseCardIdentity } from '../../../src/status/card-identity.js';
import { openCardStatusRegistry } from '../../../src/status/open-card-status-registry.js';
import { sanitizeReason } from '../../../src/status/reason-text.js';
import { clockFromEnv, parseInstant } from '../../../src/status/status-clock.js';
import { loadStatusConfig, statusDataDir } from '../../../src/status/status-config.js';
import { StatusError } from '../../../src/status/status-error.js';
import { SqliteCardStatusStore } from '../../../src/status/sqlite-card-status-store.js';
import { SCHEMA_VERSION } from '../../../src/status/sqlite-schema.js';
import { SITES, SUZHOU_CARD, openRegistry, tempDataDir } from './status-helpers.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDataDir()));
afterEach(() => cleanup());

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StatusError);
    return (e as StatusError).code;
  }
  return undefined;
}

describe('card identity', () => {
  it.each([
    ['too short', '320500D15600000500BF7C7A48FB496'],
    ['not hex', '320500D15600000500BF7C7A48FB496G'],
    ['region not digits', '32A500D15600000500BF7C7A48FB4966'],
    ['empty', ''],
  ])('bad CIC (%s) -> BAD_CARD_IDENTITY', (_, cic) => {
    expect(codeOf(() => parseCardIdentity({ cardIdentificationCode: cic, cardNumber: SUZHOU_CARD.cardNumber }))).toBe('BAD_CARD_IDENTITY');
  });

  it.each([['A0000001'], ['A00000011X'], ['a000000!1'], ['A0000001Y']])('bad card number %j -> BAD_CARD_IDENTITY', (n) => {
    expect(codeOf(() => parseCardIdentity({ cardIdentificationCode: SUZHOU_CARD.cardIdentificationCode, cardNumber: n }))).toBe('BAD_CARD_IDENTITY');
  });

  it('normalises case; a wrong check character is accepted (docs/reference/card-spec.md §2: report, never reject)', () => {
    const id = parseCardIdentity({ cardIdentificationCode: SUZHOU_CARD.cardIdentificationCode.toLowerCase(), cardNumber: 'x00000018' });
    expect(id).toEqual({ cardIdentificationCode: SUZHOU_CARD.cardIdentificationCode, cardNumber: 'X00000018' });
  });

  it('the refusal never echoes the value (it might be a PIN typed into the wrong field)', () => {
    try {
      parseCardIdentity({ cardIdentificationCode: SUZHOU_CARD.cardIdentificationCode, cardNumber: '123456' });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).not.toContain('123456');
    }
  });

  it('the registry validates too: bad CIC at statusOf, bad site and missing operator at lock', async () => {
    const { registry } = openRegistry(dir);
    await expect(registry.statusOf({ cardIdentificationCode: 'nope', cardNumber: 'X00000019' })).rejects.toMatchObject({ code: 'BAD_CARD_IDENTITY' });
    await expect(registry.lock(SUZHOU_CARD, 'temporary', { site: 'gusu', operator: 'a' })).rejects.toMatchObject({ code: 'BAD_SITE' });
    await expect(registry.lock(SUZHOU_CARD, 'temporary', { site: SITES.suzhouPhone.site })).rejects.toMatchObject({ code: 'MISSING_CONTEXT' });
    await expect(registry.lock(SUZHOU_CARD, 'temporary', SITES.suzhouPhone, 'x'.repeat(201))).rejects.toMatchObject({ code: 'BAD_REASON' });
    expect(await registry.audit()).toEqual([]);
    await registry.close();
  });
});

describe('reason text', () => {
  it('strips control and bidi characters, collapses spaces, caps at 200, keeps dates', () => {
    expect(sanitizeReason('  lost\u0007 on\n2026-11-30\u202E ')).toBe('lost on 2026-11-30');
    expect(sanitizeReason('\u0000\t')).toBeNull();
    expect(sanitizeReason('x'.repeat(200))).toHaveLength(200);
    expect(codeOf(() => sanitizeReason('字'.repeat(201)))).toBe('BAD_REASON');
  });
});

describe('SSCARD_NOW', () => {
  it('a valid instant fixes the clock', () => {
    expect(clockFromEnv({ SSCARD_NOW: '2026-12-01T09:00:00+08:00' }).now().toISOString()).toBe('2026-12-01T01:00:00.000Z');
    expect(clockFromEnv({}).now().getTime()).toBeGreaterThan(Date.parse('2025-01-01T00:00:00Z'));
  });

  it.each(['tomorrow', '2026-12-01', '2026-12-01T09:00:00', '2026-02-30T09:00:00+08:00', '2026-12-01T24:00:00Z', '2026-12-01 09:00:00+08:00'])(
    '%j -> BAD_TIME',
    (v) => {
      expect(codeOf(() => clockFromEnv({ SSCARD_NOW: v }))).toBe('BAD_TIME');
    },
  );

  it('opening the registry with a bad SSCARD_NOW fails with the typed error', () => {
    expect(codeOf(() => openCardStatusRegistry({ env: { SSCARD_DATA_DIR: dir, SSCARD_NOW: 'soon' } }))).toBe('BAD_TIME');
    expect(parseInstant('2026-12-01T09:00Z', 'x').toISOString()).toBe('2026-12-01T09:00:00.000Z');
  });
});

describe('config', () => {
  it('data dir: SSCARD_DATA_DIR, else XDG_DATA_HOME/sscard, else ~/.local/share/sscard', () => {
    expect(statusDataDir({ SSCARD_DATA_DIR: '/d', XDG_DATA_HOME: '/x', HOME: '/h' })).toBe('/d');
    expect(statusDataDir({ XDG_DATA_HOME: '/x', HOME: '/h' })).toBe('/x/sscard');
    expect(statusDataDir({ HOME: '/h' })).toBe('/h/.local/share/sscard');
  });

  it('precedence: explicit > env > file; lockDays and issuingArea read', () => {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ site: '320500-file', operator: 'file.op', lockDays: { default: 10, '330200': 15 }, issuingArea: 'city' }));
    const c = loadStatusConfig({ env: { SSCARD_DATA_DIR: dir, SSCARD_OPERATOR: 'env.op' }, site: '320508-flag' });
    expect(c).toMatchObject({ site: '320508-flag', operator: 'env.op', databaseFile: join(dir, 'status.sqlite') });
    expect(c.policy).toEqual({ defaultLockDays: 10, lockDaysByRegion: { '330200': 15 }, issuingAreaDigits: 4 });
  });

  it.each([
    ['not JSON', '{ site: '],
    ['unknown key', JSON.stringify({ sight: 'x' })],
    ['bad lockDays key', JSON.stringify({ lockDays: { Suzhou: 7 } })],
    ['lockDays not a positive integer', JSON.stringify({ lockDays: { default: 0 } })],
    ['bad site', JSON.stringify({ site: 'counter 3' })],
  ])('bad config file (%s) -> BAD_CONFIG', (_, text) => {
    writeFileSync(join(dir, 'config.json'), text);
    expect(codeOf(() => loadStatusConfig({ env: { SSCARD_DATA_DIR: dir } }))).toBe('BAD_CONFIG');
  });

  it('SSCARD_CONFIG naming a missing file -> BAD_CONFIG (an absent default file is fine)', () => {
    expect(loadStatusConfig({ env: { SSCARD_DATA_DIR: dir } }).configFile).toBeNull();
    expect(codeOf(() => loadStatusConfig({ env: { SSCARD_DATA_DIR: dir, SSCARD_CONFIG: join(dir, 'missing.json') } }))).toBe('BAD_CONFIG');
  });
});

describe('database file', () => {
  const file = () => join(dir, 'status.sqlite');

  it('a file that is not a database -> STORE_CORRUPT', () => {
    writeFileSync(file(), 'this is not sqlite '.repeat(300));
    expect(codeOf(() => SqliteCardStatusStore.open(file()))).toBe('STORE_CORRUPT');
  });

  it('a newer schema version -> STORE_VERSION_UNSUPPORTED', async () => {
    await SqliteCardStatusStore.open(file()).close();
    const db = new Database(file());
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(codeOf(() => SqliteCardStatusStore.open(file()))).toBe('STORE_VERSION_UNSUPPORTED');
  });

  it('an SQLite file of another application -> STORE_NOT_SSCARD', () => {
    const db = new Database(file());
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(codeOf(() => SqliteCardStatusStore.open(file()))).toBe('STORE_NOT_SSCARD');
  });

  it('a row that fails validation -> STORE_CORRUPT on read', async () => {
    const { registry } = openRegistry(dir);
    await registry.lock(SUZHOU_CARD, 'temporary', SITES.suzhouPhone);
    const db = new Database(file());
    db.prepare("UPDATE cards SET lock = '{\"kind\":\"forever\"}'").run();
    db.close();
    await expect(registry.statusOf(SUZHOU_CARD)).rejects.toMatchObject({ code: 'STORE_CORRUPT', layer: 'status' });
    await registry.close();
  });

  it('a fresh store is WAL, versioned and tagged', async () => {
    await SqliteCardStatusStore.open(file()).close();
    const db = new Database(file(), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('application_id', { simple: true })).toBe(0x53534353);
    db.close();
  });
});

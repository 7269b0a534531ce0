import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cardNumberCheckCharacter } from '../../../src/cards/social-security/card-number-check.js';
import { CardStatusRegistry } from '../../../src/status/card-status-registry.js';
import { ManualClock } from '../../../src/status/status-clock.js';
import { defaultStatusPolicy, type StatusPolicy } from '../../../src/status/status-policy.js';
import { SqliteCardStatusStore } from '../../../src/status/sqlite-card-status-store.js';

/** Synthetic cards only. Suzhou (320500, Jiangsu) and Ningbo (330200, Zhejiang). */
export function cic(region: string, serial: number): string {
  return `${region}D156000005${serial.toString(16).toUpperCase().padStart(8, '0')}48FB4966`;
}

export function cardNumber(n: number): string {
  const first8 = `A${String(n).padStart(7, '0')}`;
  return first8 + cardNumberCheckCharacter(first8);
}

export const SUZHOU_CARD = { cardIdentificationCode: cic('320500', 1), cardNumber: cardNumber(1) };
export const NINGBO_CARD = { cardIdentificationCode: cic('330200', 2), cardNumber: cardNumber(2) };

/** Sites: the region code prefix places them in an issuing area (province by default). */
export const SITES = {
  suzhouCounter: { site: '320508-gusu-service-point', operator: 'zhang.wei' },
  suzhouPhone: { site: '320500-12333', operator: 'hotline-07' },
  kunshanBank: { site: '320583-icbc-kunshan', operator: 'li.na' },
  hangzhouBank: { site: '330106-ccb-xihu', operator: 'wang.fang' },
  ningboCounter: { site: '330203-haishu-service-point', operator: 'chen.jie' },
} as const;

export const START = '2026-12-01T09:00:00+08:00';
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A temp data dir per test; removed by the returned cleanup. */
export function tempDataDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sscard-status-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function openRegistry(dir: string, policy: StatusPolicy = defaultStatusPolicy) {
  const clock = new ManualClock(START);
  const store = SqliteCardStatusStore.open(join(dir, 'status.sqlite'), { policy });
  return { registry: new CardStatusRegistry(store, clock), clock, store };
}

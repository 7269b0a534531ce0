import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../../../simulators/load-profile.js';
import { METHOD_NAMES } from '../../../src/daemon/protocol/methods.js';
import { RpcSocket, startTestDaemon, type TestDaemon } from '../../support/daemon.js';

/**
 * The JSON shape of every result, pinned: field names and value types, recursively (arrays by
 * their first element). A rename in the card model or the registry must not change the wire
 * unnoticed (src/daemon/wire-map.ts maps field by field; this test is the alarm).
 */
function shape(v: unknown): unknown {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length ? [shape(v[0])] : [];
  if (typeof v === 'object') return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, shape((v as Record<string, unknown>)[k])]));
  return typeof v;
}

const READER = { id: 'string', kind: 'string', name: 'string', simulated: 'boolean' };
const LOCK = { kind: 'string', operator: 'string', reason: 'string', since: 'string', site: 'string', until: 'string' };
const STATUS_FIELDS = { cardIdentificationCode: 'string', cardNumber: 'string', evaluatedAt: 'string', kind: 'string' };
const NORMAL = { ...STATUS_FIELDS, chipBlocks: [], expiredLock: 'null', lock: 'null', operator: 'null', reason: 'null', since: 'null', site: 'null', ssn: 'null', until: 'null' };
const TEMP_LOCKED = { ...STATUS_FIELDS, chipBlocks: [], expiredLock: 'null', lock: LOCK, operator: 'string', reason: 'string', since: 'string', site: 'string', ssn: 'null', until: 'string' };
const CARD = {
  cardClass: 'string',
  cardIdentificationCode: 'string',
  cardNumber: 'string',
  cardNumberCheck: 'string',
  expiryDate: 'string',
  initializingInstitution: 'string',
  issueDate: 'string',
  regionCode: 'string',
  specVersion: 'string',
  specVersionText: 'string',
};
const HOLDER = {
  birthDate: 'string',
  birthplace: 'string',
  ethnicGroup: { code: 'string', name: 'string' },
  name: 'string',
  sex: { code: 'string', label: 'string' },
  ssn: 'string',
  ssnCheck: 'string',
};

describe('wire shapes of every result', () => {
  let d: TestDaemon;
  let s: RpcSocket;
  const demo = loadProfile('demo');
  const ident = { cardIdentificationCode: demo.card.cardIdentificationCode, cardNumber: demo.card.cardNumber };
  const other = { cardIdentificationCode: '320500D15600000500ABCDEF12345678', cardNumber: 'B23456781' };
  beforeAll(async () => {
    d = await startTestDaemon({ simulated: { enabled: true, profiles: ['demo'] }, limits: { pinVerifyPerMinute: 100 } }, {
        pcsc: false,
        env: {
          ...process.env,
          SSCARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'sscard-wire-shape-')),
          SSCARD_CONFIG: '',
          SSCARD_NOW: '2026-12-01T09:00:00+08:00',
          SSCARD_SITE: '110100-test-counter',
          SSCARD_OPERATOR: 'test.operator',
        },
      },);
    s = await RpcSocket.ready(d.port, { token: d.counterToken });
  });
  afterAll(async () => {
    s.close();
    await d.stop();
  });

  const calls: [string, Record<string, unknown>, unknown][] = [
    ['readers.list', {}, { pcscUp: 'boolean', readers: [{ ...READER, cardPresent: 'boolean' }] }],
    [
      'card.read',
      {},
      {
        application: 'string',
        data: { application: { algorithm: { id: 'string', name: 'string', supported: 'boolean' }, dfName: 'string' }, card: CARD, holder: { data: HOLDER, status: 'string' }, warnings: [] },
        reader: READER,
        status: { ...NORMAL, ssn: 'string' },
      },
    ],
    [
      'card.readBas',
      {},
      {
        code: 'number',
        fields: Object.fromEntries(['atrHistorical', 'cardIdentificationCode', 'cardNumber', 'deviceNumber', 'expiryDate', 'issueDate', 'name', 'regionCode', 'specVersion', 'ssn', 'terminalNumber'].map((k) => [k, 'string'])),
        message: 'null',
        reader: READER,
        text: 'string',
      },
    ],
    ['card.readBasHsmStep1', {}, { code: 'number', message: 'null', reader: READER, text: 'string' }],
    // the success shape is card.readBas's (one mapping, wireBas); a malformed key pins the failure shape
    ['card.readBasHsmStep2', { key: 'x' }, { code: 'number', fields: 'null', message: 'string', reader: 'null', text: 'null' }],
    // a successful one is { code: 0, message: null, pinOnPc: false }: the wrong PIN pins the failure shape (one mapping, wireNationalPin)
    ['card.nationalPin', { fn: 'iVerifyPIN', pin: '975310' }, { code: 'number', message: 'string', pinOnPc: 'boolean' }],
    ['card.status', {}, { reader: READER, status: NORMAL }],
    ['card.photo', {}, { photo: { bytes: 'number', dataUrl: 'string', mime: 'string' }, reader: READER }],
    ['pin.status', {}, { blocked: 'boolean', reader: READER, triesLeft: 'number' }],
    ['pin.verify', { pin: '123456' }, { ok: 'boolean', reader: READER }],
    ['pin.change', { oldPin: '123456', newPin: '135790' }, { ok: 'boolean', reader: READER }],
    ['pin.reset', { newPin: '246813' }, { ok: 'boolean', reader: READER }],
    ['pin.unblock', {}, { ok: 'boolean', reader: READER }],
    ['card.lock', { ...ident, kind: 'temporary', reason: 'lost' }, { status: TEMP_LOCKED }],
    ['card.release', { ...ident, reason: 'found' }, { status: NORMAL }],
    ['card.lock', { ...other, kind: 'formal' }, { status: { ...TEMP_LOCKED, lock: { ...LOCK, reason: 'null', until: 'null' }, reason: 'null', until: 'null' } }],
    [
      'card.replace',
      { ...other, reason: 'new card' },
      { status: { ...TEMP_LOCKED, lock: { ...LOCK, reason: 'null', until: 'null' }, until: 'null' } },
    ],
    ['card.cancel', other, { status: { ...TEMP_LOCKED, lock: { ...LOCK, reason: 'null', until: 'null' }, reason: 'null', until: 'null' } }],
    [
      'card.block',
      { confirm: 'BLOCK-APPLICATION', cardNumber: demo.card.cardNumber },
      { status: { ...NORMAL, chipBlocks: [{ at: 'string', block: 'string', operator: 'string', site: 'string', sw: 'string' }], operator: 'string', reason: 'string', since: 'string', site: 'string' } },
    ],
    [
      'audit.list',
      {},
      { entries: [{ action: 'string', at: 'string', cardIdentificationCode: 'string', cardNumber: 'string', id: 'number', operator: 'string', reason: 'null', site: 'string', ssn: 'null', sw: 'null', until: 'null' }] },
    ],
    ['events.subscribe', {}, { subscribed: 'boolean' }],
    ['events.unsubscribe', {}, { subscribed: 'boolean' }],
  ];

  it('covers every method', () => {
    expect(new Set([...calls.map((c) => c[0]), 'hello'])).toEqual(new Set(METHOD_NAMES));
  });

  it('hello', async () => {
    const h = await RpcSocket.open(d.port, { token: d.readerToken });
    const r = await h.ok('hello', { minApiLevel: 1, maxApiLevel: 9 });
    expect(shape(r)).toEqual({ apiLevel: 'number', methods: ['string'], role: 'string', server: { name: 'string', version: 'string' }, simulatedReaders: 'boolean' });
    h.close();
  });

  it.each(calls.map((c, i) => [`${i + 1}. ${c[0]}`, c] as const))('%s', async (_n, [method, params, expected]) => {
    expect(shape(await s.ok(method, params))).toEqual(expected);
  });
});

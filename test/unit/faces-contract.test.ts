import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../simulators/create-card.js';
import { loadProfile } from '../../simulators/load-profile.js';
import { InProcessReaderSource } from '../../src/transport/in-process/in-process-reader-source.js';
import { simulatedReader } from '../../src/transport/in-process/in-process-transport.js';
import { CLI, ROOT } from '../support/cli.js';
import { RpcSocket, startTestDaemon, type TestDaemon } from '../support/daemon.js';

/**
 * The two faces can't drift: one table of operations (every operation, its success and each typed
 * refusal) runs through the CLI (`--json`) and through the daemon, each on the same simulated
 * cards and its own card-status registry at the same clock, and the results are compared field by
 * field. Per kind of operation, `cli` and `daemon` pick the domain fields out of each face's
 * document (the CLI keeps its own document names; the values must be the same).
 */
const NOW = '2026-12-01T09:00:00+08:00';
const ENV = { SSCARD_NOW: NOW, SSCARD_SITE: '110100-contract-counter', SSCARD_OPERATOR: 'contract.op', SSCARD_CONFIG: '' };
const dir = mkdtempSync(join(tmpdir(), 'sscard-faces-'));
const demo = loadProfile('demo');

/** A demo card variant (same card, another EEPROM state) as a profile file. */
function variant(id: string, state: Record<string, unknown>): string {
  const json = JSON.parse(readFileSync(join(ROOT, 'simulators', 'profiles', 'demo.json'), 'utf8'));
  const path = join(dir, `${id}.json`);
  writeFileSync(path, JSON.stringify({ ...json, id, security: { state } }));
  return path;
}
const PROFILES = {
  demo: 'demo',
  lastTry: variant('demo-last-try', { pinTriesLeft: 1 }),
  pinBlocked: variant('demo-pin-blocked', { pinTriesLeft: 0 }),
  appBlocked: variant('demo-app-blocked', { applicationBlocked: true }),
  cardBlocked: variant('demo-card-blocked', { cardBlocked: true }),
  pulledAtSelect: variant('demo-pulled-at-select', {}),
  pulledAtChange: variant('demo-pulled-at-change', {}),
} as const;
type ProfileKey = keyof typeof PROFILES;
/**
 * The card pulled (fault injection of the in-process reader) at this APDU index of the
 * connection: the CLI's simulated reader gets it through SSCARD_SIM_PULL_AT_APDU, the daemon's
 * through its in-process source. 0 = the SELECT, before anything changed; 5 = CHANGE PIN itself
 * (SELECT, GET RESPONSE, READ RECORD x2, the try-status VERIFY, CHANGE PIN): handed to the
 * transport, no answer.
 */
const PULL_AT: Partial<Record<ProfileKey, number>> = { pulledAtSelect: 0, pulledAtChange: 5 };
/** The daemon whose counter keys are a PSAM in a reader that is not there (KEYS_UNAVAILABLE). */
const NO_PSAM = ['--keys', 'psam', '--psam-reader', 'no-such-psam-reader'];

/** A card the registry rows name (no card needed for those). */
const OTHER = { cardIdentificationCode: '320500D15600000500ABCDEF12345678', cardNumber: 'B23456781' };

type Doc = Record<string, any>;
interface Kind {
  cli(d: Doc): unknown;
  daemon(d: Doc): unknown;
}
const same: Kind = { cli: (d) => d, daemon: (d) => d };
const KINDS = {
  read: {
    cli: (d) => ({ reader: d.reader, card: d.card, holder: d.holder, warnings: d.warnings, status: d.status }),
    daemon: (d) => ({ reader: d.reader, card: d.data.card, holder: d.data.holder.status === 'read' ? d.data.holder.data : null, warnings: d.data.warnings, status: d.status }),
  },
  readBlocked: {
    cli: (d) => ({ refused: { 'application-blocked': 'APPLICATION_BLOCKED', 'card-blocked': 'CARD_BLOCKED' }[d.status as string] }),
    daemon: (d) => ({ refused: d.code }),
  },
  pinStatus: {
    cli: (d) => ({ reader: d.reader, triesLeft: d.state === 'blocked' ? 0 : d.triesLeft, blocked: d.state === 'blocked' }),
    daemon: (d) => d,
  },
  done: { cli: (d) => ({ reader: d.reader, done: d.result === 'done' }), daemon: (d) => ({ reader: d.reader, done: d.ok === true }) },
  block: { cli: (d) => d.registry, daemon: (d) => d.status },
  status: { cli: (d) => d, daemon: (d) => d.status },
  audit: { cli: (d) => d, daemon: (d) => d.entries },
  financial: { cli: (d) => ({ reader: d.reader, financial: d.financial }), daemon: (d) => ({ reader: d.reader, financial: d.financial }) },
  readAll: {
    cli: (d) => ({ reader: d.reader, card: d.card, holder: d.holder, status: d.status, financial: d.financial }),
    daemon: (d) => ({ reader: d.reader, card: d.social.data.card, holder: d.social.data.holder.data, status: d.social.status, financial: d.financial }),
  },
  statusInReader: same,
  refusal: same,
} satisfies Record<string, Kind>;

interface Row {
  name: string;
  profile?: ProfileKey;
  cli: string[];
  stdin?: string;
  method: string;
  params: Record<string, unknown>;
  kind: keyof typeof KINDS;
  /** Writes to the registry (changes or audit rows): runs in table order, never alongside others. */
  writes?: true;
  /** Registry-only operation: no card, no `--profile`. */
  registryOnly?: true;
  /** Run against the daemon whose counter keys are missing (and the CLI with the same flags). */
  noKeys?: true;
  /** Fields the daemon's answer must carry (and, compared field by field, the CLI's). */
  fields?: Record<string, unknown>;
  /** 'OK' or the wire code the daemon must answer (the CLI then must refuse with the same). */
  expect: string;
}

const ident = ['--card', demo.card.cardIdentificationCode, '--card-number', demo.card.cardNumber];
const other = ['--card', OTHER.cardIdentificationCode, '--card-number', OTHER.cardNumber];
const confirmApp = ['--confirm', 'BLOCK-APPLICATION', '--confirm-again'];

const TABLE: Row[] = [
  { name: 'read', cli: ['read'], method: 'card.read', params: {}, kind: 'read', expect: 'OK' },
  { name: 'read: application blocked', profile: 'appBlocked', cli: ['read'], method: 'card.read', params: {}, kind: 'readBlocked', expect: 'APPLICATION_BLOCKED' },
  { name: 'read: card blocked', profile: 'cardBlocked', cli: ['read'], method: 'card.read', params: {}, kind: 'readBlocked', expect: 'CARD_BLOCKED' },
  { name: 'read: no such reader', cli: ['read', '--reader', 'no-such-reader'], method: 'card.read', params: { reader: 'no-such-reader' }, kind: 'refusal', expect: 'READER_NOT_FOUND' },
  { name: 'read financial', cli: ['read', '--financial'], method: 'card.read', params: { applications: ['financial'] }, kind: 'financial', expect: 'OK' },
  { name: 'read financial with GPO', cli: ['read', '--financial', '--gpo'], method: 'card.read', params: { applications: ['financial'], gpo: true }, kind: 'financial', expect: 'OK' },
  { name: 'read all', cli: ['read', '--all'], method: 'card.read', params: { applications: ['social', 'financial'] }, kind: 'readAll', expect: 'OK' },
  { name: 'read financial: card blocked', profile: 'cardBlocked', cli: ['read', '--financial'], method: 'card.read', params: { applications: ['financial'] }, kind: 'refusal', expect: 'CARD_BLOCKED' },
  { name: 'status of the card in the reader', cli: ['status'], method: 'card.status', params: {}, kind: 'statusInReader', expect: 'OK' },
  { name: 'pin.status', cli: ['pin', 'status'], method: 'pin.status', params: {}, kind: 'pinStatus', expect: 'OK' },
  { name: 'pin.status: blocked', profile: 'pinBlocked', cli: ['pin', 'status'], method: 'pin.status', params: {}, kind: 'pinStatus', expect: 'OK' },
  { name: 'pin.verify', cli: ['pin', 'verify', '--pin-stdin'], stdin: '123456\n', method: 'pin.verify', params: { pin: '123456' }, kind: 'done', expect: 'OK' },
  { name: 'pin.verify: wrong PIN', cli: ['pin', 'verify', '--pin-stdin'], stdin: '000000\n', method: 'pin.verify', params: { pin: '000000' }, kind: 'refusal', expect: 'WRONG_PIN' },
  { name: 'pin.verify: PIN format', cli: ['pin', 'verify', '--pin-stdin'], stdin: '1234\n', method: 'pin.verify', params: { pin: '1234' }, kind: 'refusal', expect: 'PIN_FORMAT' },
  { name: 'pin.verify: last try', profile: 'lastTry', cli: ['pin', 'verify', '--pin-stdin'], stdin: '000000\n', method: 'pin.verify', params: { pin: '000000' }, kind: 'refusal', expect: 'LAST_TRY_NOT_CONFIRMED' },
  { name: 'pin.verify: PIN blocked', profile: 'pinBlocked', cli: ['pin', 'verify', '--pin-stdin'], stdin: '123456\n', method: 'pin.verify', params: { pin: '123456' }, kind: 'refusal', expect: 'PIN_BLOCKED' },
  { name: 'pin.verify: no such reader', cli: ['pin', 'verify', '--pin-stdin', '--reader', 'no-such-reader'], stdin: '123456\n', method: 'pin.verify', params: { pin: '123456', reader: 'no-such-reader' }, kind: 'refusal', expect: 'READER_NOT_FOUND' },
  { name: 'pin.change', cli: ['pin', 'change', '--pin-stdin'], stdin: '123456\n135790\n135790\n', method: 'pin.change', params: { oldPin: '123456', newPin: '135790' }, kind: 'done', expect: 'OK' },
  { name: 'pin.change: wrong old PIN', cli: ['pin', 'change', '--pin-stdin'], stdin: '000000\n135790\n135790\n', method: 'pin.change', params: { oldPin: '000000', newPin: '135790' }, kind: 'refusal', expect: 'WRONG_PIN' },
  { name: 'pin.change: PIN policy', cli: ['pin', 'change', '--pin-stdin'], stdin: '123456\n111111\n111111\n', method: 'pin.change', params: { oldPin: '123456', newPin: '111111' }, kind: 'refusal', expect: 'PIN_POLICY' },
  { name: 'pin.change: birth date', cli: ['pin', 'change', '--pin-stdin'], stdin: '123456\n900307\n900307\n', method: 'pin.change', params: { oldPin: '123456', newPin: '900307' }, kind: 'refusal', expect: 'PIN_POLICY' },
  { name: 'pin.reset', writes: true, profile: 'pinBlocked', cli: ['pin', 'reset', '--pin-stdin'], stdin: '246813\n246813\n', method: 'pin.reset', params: { newPin: '246813' }, kind: 'done', expect: 'OK' },
  { name: 'pin.reset: PIN policy', cli: ['pin', 'reset', '--pin-stdin'], stdin: '222222\n222222\n', method: 'pin.reset', params: { newPin: '222222' }, kind: 'refusal', expect: 'PIN_POLICY' },
  { name: 'pin.unblock', writes: true, profile: 'pinBlocked', cli: ['pin', 'unblock'], method: 'pin.unblock', params: {}, kind: 'done', expect: 'OK' },
  { name: 'pin.unblock: keys unavailable', noKeys: true, profile: 'pinBlocked', cli: ['pin', 'unblock', ...NO_PSAM], method: 'pin.unblock', params: {}, kind: 'refusal', fields: { reason: 'PSAM_NOT_FOUND' }, expect: 'KEYS_UNAVAILABLE' },
  { name: 'read: card removed', profile: 'pulledAtSelect', cli: ['read'], method: 'card.read', params: {}, kind: 'refusal', expect: 'CARD_REMOVED' },
  { name: 'pin.change: card removed before the change', profile: 'pulledAtSelect', cli: ['pin', 'change', '--pin-stdin'], stdin: '123456\n135790\n135790\n', method: 'pin.change', params: { oldPin: '123456', newPin: '135790' }, kind: 'refusal', fields: { outcome: 'not-done' }, expect: 'CARD_REMOVED' },
  { name: 'pin.change: card removed during the change', profile: 'pulledAtChange', cli: ['pin', 'change', '--pin-stdin'], stdin: '123456\n135790\n135790\n', method: 'pin.change', params: { oldPin: '123456', newPin: '135790' }, kind: 'refusal', fields: { outcome: 'unknown' }, expect: 'CARD_REMOVED' },
  { name: 'lock (demo card)', registryOnly: true, writes: true, cli: ['lock', '--temporary', ...ident, '--reason', 'lost at the market'], method: 'card.lock', params: { ...demoIdent(), kind: 'temporary', reason: 'lost at the market' }, kind: 'status', expect: 'OK' },
  { name: 'pin.verify: card locked', writes: true, cli: ['pin', 'verify', '--pin-stdin'], stdin: '123456\n', method: 'pin.verify', params: { pin: '123456' }, kind: 'refusal', expect: 'CARD_LOCKED' },
  { name: 'pin.unblock: card locked', writes: true, cli: ['pin', 'unblock'], method: 'pin.unblock', params: {}, kind: 'refusal', expect: 'CARD_LOCKED' },
  { name: 'release (demo card)', registryOnly: true, writes: true, cli: ['release', ...ident], method: 'card.release', params: demoIdent(), kind: 'status', expect: 'OK' },
  { name: 'release: not locked', registryOnly: true, writes: true, cli: ['release', ...other], method: 'card.release', params: OTHER, kind: 'refusal', expect: 'STATUS_REFUSED' },
  { name: 'replace: needs a formal lock', registryOnly: true, writes: true, cli: ['replace-requested', ...other], method: 'card.replace', params: OTHER, kind: 'refusal', expect: 'STATUS_REFUSED' },
  { name: 'lock formal', registryOnly: true, writes: true, cli: ['lock', '--formal', ...other], method: 'card.lock', params: { ...OTHER, kind: 'formal' }, kind: 'status', expect: 'OK' },
  { name: 'replace', registryOnly: true, writes: true, cli: ['replace-requested', ...other, '--reason', 'new card'], method: 'card.replace', params: { ...OTHER, reason: 'new card' }, kind: 'status', expect: 'OK' },
  { name: 'cancel', registryOnly: true, writes: true, cli: ['cancel', ...other], method: 'card.cancel', params: OTHER, kind: 'status', expect: 'OK' },
  { name: 'lock: cancelled card', registryOnly: true, writes: true, cli: ['lock', '--temporary', ...other], method: 'card.lock', params: { ...OTHER, kind: 'temporary' }, kind: 'refusal', expect: 'STATUS_REFUSED' },
  { name: 'block: confirmation mismatch', writes: true, cli: ['block', '--application', ...confirmApp, 'B23456781'], method: 'card.block', params: { confirm: 'BLOCK-APPLICATION', cardNumber: 'B23456781' }, kind: 'refusal', expect: 'CONFIRMATION_MISMATCH' },
  { name: 'block application', writes: true, cli: ['block', '--application', ...confirmApp, demo.card.cardNumber], method: 'card.block', params: { confirm: 'BLOCK-APPLICATION', cardNumber: demo.card.cardNumber }, kind: 'block', expect: 'OK' },
  { name: 'block card', writes: true, cli: ['block', '--card', '--confirm', 'BLOCK-CARD', '--confirm-again', demo.card.cardNumber], method: 'card.block', params: { confirm: 'BLOCK-CARD', cardNumber: demo.card.cardNumber }, kind: 'block', expect: 'OK' },
  { name: 'audit', writes: true, registryOnly: true, writes: true, cli: ['audit'], method: 'audit.list', params: {}, kind: 'audit', expect: 'OK' },
  { name: 'audit: bad action', writes: true, registryOnly: true, writes: true, cli: ['audit', '--action', 'nonsense'], method: 'audit.list', params: { action: 'nonsense' }, kind: 'refusal', expect: 'INVALID_PARAMS' },
];

function demoIdent() {
  return { cardIdentificationCode: demo.card.cardIdentificationCode, cardNumber: demo.card.cardNumber };
}

interface Outcome {
  code: string;
  doc: Doc;
}

describe('CLI and daemon: one table of operations, the same results field by field', () => {
  let d: TestDaemon;
  let socket: RpcSocket;
  let noKeysDaemon: TestDaemon;
  let noKeysSocket: RpcSocket;
  let noKeysSource: InProcessReaderSource;
  const sources = new Map<ProfileKey, InProcessReaderSource>();
  const cli = new Map<string, Outcome>();
  const daemon = new Map<string, Outcome>();

  beforeAll(async () => {
    for (const [key, profile] of Object.entries(PROFILES) as [ProfileKey, string][]) {
      sources.set(key, new InProcessReaderSource([{ profileId: profile, card: createSimulatedCard(profile), pullAtApdu: PULL_AT[key] }]));
    }
    noKeysSource = new InProcessReaderSource([{ profileId: PROFILES.pinBlocked, card: createSimulatedCard(PROFILES.pinBlocked) }]);
    noKeysDaemon = await startTestDaemon(
      { counterKeys: { source: 'psam', psamReader: 'no-such-psam-reader' } },
      { pcsc: false, extraSources: [noKeysSource], env: { ...process.env, ...ENV, SSCARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'sscard-faces-nokeys-')) } },
    );
    noKeysSocket = await RpcSocket.ready(noKeysDaemon.port, { token: noKeysDaemon.counterToken });
    const daemonData = mkdtempSync(join(tmpdir(), 'sscard-faces-daemon-'));
    d = await startTestDaemon({ limits: { pinVerifyPerMinute: 600 } }, { pcsc: false, extraSources: [...sources.values()], env: { ...process.env, ...ENV, SSCARD_DATA_DIR: daemonData } });
    socket = await RpcSocket.ready(d.port, { token: d.counterToken });
    const cliData = mkdtempSync(join(tmpdir(), 'sscard-faces-cli-'));
    // CLI: a fresh process (so a fresh simulated card) per row; rows that only read run 4 at a time
    const cliRow = async (row: Row): Promise<void> => {
      const profile = PROFILES[row.profile ?? 'demo'];
      const pull = PULL_AT[row.profile ?? 'demo'];
      const r = await runCliAsync([...row.cli, ...(row.registryOnly ? [] : ['--profile', profile]), '--json'], row.stdin ?? '', {
        ...ENV,
        SSCARD_DATA_DIR: cliData,
        ...(pull !== undefined ? { SSCARD_SIM_PULL_AT_APDU: String(pull) } : {}),
      });
      const doc = JSON.parse(r.stdout || 'null') as Doc;
      cli.set(row.name, { code: doc?.error ? doc.error.wire.code : r.code === 0 ? 'OK' : `exit ${r.code}`, doc: doc?.error ? doc.error.wire : doc });
    };
    let batch: Row[] = [];
    const flush = async () => {
      for (let i = 0; i < batch.length; i += 4) await Promise.all(batch.slice(i, i + 4).map(cliRow));
      batch = [];
    };
    for (const row of TABLE) {
      if (!row.writes) batch.push(row);
      else {
        await flush();
        await cliRow(row);
      }
    }
    await flush();
    for (const row of TABLE) {
      const profile = PROFILES[row.profile ?? 'demo'];
      // daemon: the same card, fresh, in its reader
      (row.noKeys ? noKeysSource : sources.get(row.profile ?? 'demo')!).insert(0, createSimulatedCard(profile));
      const reader = row.params.reader ?? (row.registryOnly ? undefined : simulatedReader(profile, 0).id);
      const reply = await (row.noKeys ? noKeysSocket : socket).call(row.method, { ...row.params, ...(reader ? { reader } : {}) });
      daemon.set(row.name, reply.error ? { code: reply.error.data.code, doc: reply.error.data } : { code: 'OK', doc: reply.result });
    }
  }, 120_000);
  afterAll(async () => {
    socket?.close();
    noKeysSocket?.close();
    await d?.stop();
    await noKeysDaemon?.stop();
  });

  it('the table covers every card operation of the service', () => {
    const methods = new Set(TABLE.map((r) => r.method));
    for (const m of ['card.read', 'card.status', 'pin.status', 'pin.verify', 'pin.change', 'pin.reset', 'pin.unblock', 'card.block', 'card.lock', 'card.release', 'card.replace', 'card.cancel', 'audit.list']) {
      expect(methods, m).toContain(m);
    }
  });

  it.each(TABLE.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const c = cli.get(row.name)!;
    const w = daemon.get(row.name)!;
    expect(w.code, `daemon answered ${JSON.stringify(w.doc)}`).toBe(row.expect);
    const kind = KINDS[row.kind];
    if (row.kind === 'readBlocked') {
      expect(kind.cli(c.doc)).toEqual(kind.daemon(w.doc));
      return;
    }
    if (row.fields) expect(w.doc).toMatchObject(row.fields);
    expect(c.code, `CLI printed ${JSON.stringify(c.doc)}`).toBe(row.expect);
    expect(kind.cli(c.doc)).toEqual(kind.daemon(w.doc));
  });
});

function runCliAsync(args: string[], input: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, SSCARD_NO_PCSC: '1', ...env }, stdio: ['pipe', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
    child.stdin.end(input);
  });
}

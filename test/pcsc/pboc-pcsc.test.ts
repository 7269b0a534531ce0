import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../simulators/create-card.js';
import { loadProfile } from '../../simulators/load-profile.js';
import type { SocialSecurityCardOs } from '../../simulators/social-security-card-os.js';
import { apduStack } from '../../src/apdu/apdu-stack.js';
import { PbocSession } from '../../src/cards/pboc/pboc-session.js';
import { SocialSecuritySession } from '../../src/cards/social-security/social-security-session.js';
import { PinBuffer } from '../../src/core/pin-buffer.js';
import { CardService } from '../../src/service/card-service.js';
import type { KeyProvider } from '../../src/service/key-provider.js';
import { bindOperations } from '../../src/service/operations/card-operations.js';
import { ReaderRegistry } from '../../src/service/reader-registry.js';
import { CardStatusRegistry } from '../../src/status/card-status-registry.js';
import { SqliteCardStatusStore } from '../../src/status/sqlite-card-status-store.js';
import { fixedClock } from '../../src/status/status-clock.js';
import { PcscReaderSource } from '../../src/transport/pcsc/pcsc-reader-source.js';
import { expectedFinancial, financialSummary, PBOC_PROFILES } from '../contract/expected-financial.js';
import { CLI } from '../support/cli.js';
import { ensurePcscd, READER_0 } from '../support/pcscd.js';
import { VirtualSlot } from '../support/virtual-slot.js';

const pcscd = await ensurePcscd();

/** The CLI as a child (asynchronous: the in-process vpcd client must keep answering pcscd). */
function sscard(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, SSCARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'sscard-pboc-cli-')) } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The financial application through the real pcscd + vpcd, the simulator as the card. */
describe.skipIf(!pcscd.available)(`PBOC financial application through pcscd (${pcscd.reason})`, () => {
  const source = new PcscReaderSource();
  const slot = new VirtualSlot(source, 0);
  const registry = new ReaderRegistry([new PcscReaderSource()]);
  const service = new CardService(registry);
  const status = new CardStatusRegistry(SqliteCardStatusStore.open(join(mkdtempSync(join(tmpdir(), 'sscard-pboc-')), 'status.db')), fixedClock(new Date('2026-12-01T08:00:00Z')));
  const NO_KEYS: KeyProvider = { chosen: false, lease: () => Promise.reject(new Error('no keys here')), reload: () => undefined };
  const ops = bindOperations({ cards: service, registry: status, keys: NO_KEYS, operator: {} });
  const readFinancial = (o: { reader: string; gpo?: boolean; reveal?: boolean }) => ops.readFinancial({ target: { reader: o.reader }, gpo: o.gpo, reveal: o.reveal });
  const readApplications = (o: { reader: string; applications: ('social' | 'financial')[] }) => ops.readApplications({ target: { reader: o.reader }, applications: o.applications });
  let card: SocialSecurityCardOs;

  async function insert(profile: string): Promise<SocialSecurityCardOs> {
    card = createSimulatedCard(profile);
    await slot.insert(card);
    // the service's own monitor must see the card too
    for (let i = 0; i < 500 && !registry.readers().some((r) => r.reader.name === READER_0 && r.cardPresent); i++) await new Promise((r) => setTimeout(r, 10));
    return card;
  }

  /** One connection (one exclusive operation) with a fresh stack. */
  async function withCard<T>(fn: (stack: ReturnType<typeof apduStack>, atr: Uint8Array) => Promise<T>): Promise<T> {
    const t = await slot.connect();
    try {
      return await fn(apduStack(t), t.atr);
    } finally {
      await t.close();
    }
  }

  beforeAll(async () => {
    await source.monitor.start();
    await registry.start();
  });
  afterEach(() => slot.remove());
  afterAll(async () => {
    await service.stop();
    await registry.stop();
    await source.stop();
  });

  it.each(PBOC_PROFILES)('%s: the summary matches the profile; the default read leaves the ATC unchanged', async (id) => {
    const c = await insert(id);
    const p = loadProfile(id);
    const atcBefore = await withCard((s) => new PbocSession(s).readAtc());
    expect(atcBefore).toBe(p.pboc!.atc);
    const r = await readFinancial({ reader: READER_0 });
    expect(financialSummary(r.financial)).toEqual(expectedFinancial(p));
    expect(r.reader.name).toBe(READER_0);
    const atcAfter = await withCard((s) => new PbocSession(s).readAtc());
    if (p.pboc!.recordsNeedGpo) {
      expect(r.financial.gpoReason).toBe('records-refused');
      expect(atcAfter).toBe(p.pboc!.atc + 1);
    } else {
      expect(atcAfter).toBe(atcBefore);
      expect(c.pboc!.snapshot().gpoCount).toBe(0);
    }
  });

  it.each([
    ['demo', 2],
    ['pboc-gpo-format1', 1],
  ] as const)('%s: --gpo reads through GPO response format %i and spends one ATC', async (id, format) => {
    const c = await insert(id);
    const p = loadProfile(id);
    const r = await readFinancial({ reader: READER_0, gpo: true, reveal: true });
    expect(r.financial.path).toBe('gpo');
    expect(r.financial.gpoFormat).toBe(format);
    expect(financialSummary(r.financial)).toEqual({ ...expectedFinancial(p, { reveal: true }), path: 'gpo' });
    expect(Object.values(c.pboc!.snapshot().atc)).toContain(p.pboc!.atc + 1);
  });

  it('a card without PSE is read through the AID list; a card needing GPO reports path "gpo"', async () => {
    await insert('pboc-no-pse');
    const a = await readFinancial({ reader: READER_0 });
    expect(a.financial.application.selectedVia).toBe('aid-list');
    expect(a.financial.application.kind).toBe('quasi-credit');
    await slot.remove();
    await insert('pboc-needs-gpo');
    const b = await readFinancial({ reader: READER_0 });
    expect(b.financial.path).toBe('gpo');
  });

  it('social read, financial read and social PIN verify in any order on one insertion give the same results as alone', async () => {
    const social = () => withCard(async (s, atr) => {
      const r = await new SocialSecuritySession(s, { atr }).read();
      return { card: r.card, holder: r.holder };
    });
    const financial = () => withCard((s) => new PbocSession(s).read());
    const verify = () => withCard((s) => new SocialSecuritySession(s).verifyPin(PinBuffer.fromString('123456')));
    const steps = { social, financial, verify } as const;
    const alone: Record<string, unknown> = {};
    for (const name of Object.keys(steps) as (keyof typeof steps)[]) {
      await insert('demo');
      alone[name] = await steps[name]();
      await slot.remove();
    }
    for (const order of [
      ['social', 'financial', 'verify'],
      ['financial', 'verify', 'social'],
      ['verify', 'financial', 'social'],
    ] as (keyof typeof steps)[][]) {
      const c = await insert('demo');
      const ssse = c.securitySnapshot();
      for (const name of order) expect(await steps[name]()).toEqual(alone[name]);
      expect(c.securitySnapshot()).toEqual(ssse);
      expect(c.pboc!.snapshot()).toEqual({ atc: { A000000333010101: 13 }, gpoCount: 0 });
      await slot.remove();
    }
  });

  it('read --all: both applications in one exclusive operation, same as each alone', async () => {
    await insert('demo');
    const both = await readApplications({ reader: READER_0, applications: ['social', 'financial'] });
    const fin = await readFinancial({ reader: READER_0 });
    const soc = await readApplications({ reader: READER_0, applications: ['social'] });
    expect(both.financial).toEqual(fin.financial);
    expect(both.social).toEqual(soc.social);
    expect(both.social?.kind === 'read' && both.social.read.card.cardNumber).toBe(loadProfile('demo').card.cardNumber);
    await slot.remove();
    await insert('v1-zhang-san');
    const noPboc = await readApplications({ reader: READER_0, applications: ['social', 'financial'] });
    expect(noPboc.financialError?.code).toBe('NO_FINANCIAL_APPLICATION');
    expect(noPboc.social?.kind === 'read' && noPboc.social.read.card.cardNumber).toBe(loadProfile('v1-zhang-san').card.cardNumber);
  });

  it('the CLI: read --financial and read --all --json through pcscd, ATC unchanged', async () => {
    const c = await insert('demo');
    const fin = await sscard(['read', '--reader', READER_0, '--financial', '--json']);
    expect(fin.stderr).toBe('');
    expect(fin.code).toBe(0);
    expect(JSON.parse(fin.stdout).financial).toMatchObject({ pan: '621700*********2348', path: 'records', ecBalanceFen: 12345 });
    const all = await sscard(['read', '--reader', READER_0, '--all', '--json']);
    expect(all.code).toBe(0);
    const json = JSON.parse(all.stdout);
    expect(json.reader.name).toBe(READER_0);
    expect(json.card.cardNumber).toBe('A12345674');
    expect(financialSummary(json.financial as never)).toEqual(expectedFinancial(loadProfile('demo')));
    expect(c.pboc!.snapshot()).toEqual({ atc: { A000000333010101: 13 }, gpoCount: 0 });
  });
});

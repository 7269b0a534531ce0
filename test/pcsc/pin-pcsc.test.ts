import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../simulators/create-card.js';
import { createSimulatedPsam } from '../../simulators/create-psam.js';
import { VpcdClient } from '../../simulators/vpcd-client.js';
import { apduStack } from '../../src/apdu/apdu-stack.js';
import { WireCounter } from '../../src/apdu/wire-counter.js';
import { OperationInterruptedError } from '../../src/cards/social-security/operation-interrupted-error.js';
import { SocialSecuritySession } from '../../src/cards/social-security/social-security-session.js';
import { PinBuffer } from '../../src/core/pin-buffer.js';
import type { KeyService } from '../../src/keys/key-service.js';
import { PsamKeyService } from '../../src/keys/psam/psam-key-service.js';
import { SoftKeyService } from '../../src/keys/soft/soft-key-service.js';
import type { CardTransport } from '../../src/transport/card-transport.js';
import { PcscReaderSource } from '../../src/transport/pcsc/pcsc-reader-source.js';
import type { SocialSecurityCardOs } from '../../simulators/social-security-card-os.js';
import { CLI } from '../support/cli.js';
import { ensurePcscd, READER_0, READER_1, waitFor } from '../support/pcscd.js';
import { VirtualSlot } from '../support/virtual-slot.js';

const pcscd = await ensurePcscd();
const pin = (d: string) => PinBuffer.fromString(d);

/** The CLI as a child with stdin (asynchronous: the in-process vpcd clients must keep answering pcscd). */
function sscard(args: string[], input: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
    p.stdin.end(input);
  });
}

/** Issue #4 through the real pcscd: card in slot 0, the simulated PSAM in slot 1. */
describe.skipIf(!pcscd.available)(`PIN, authentication and blocks through pcscd (${pcscd.reason})`, () => {
  const source = new PcscReaderSource();
  const slot = new VirtualSlot(source, 0);
  const psamClient = new VpcdClient(createSimulatedPsam(), { slot: 1 });
  let psamTransport: CardTransport;
  const cardIn = (reader: string) => source.monitor.readers().some((r) => r.reader.name === reader && r.cardPresent);

  beforeAll(async () => {
    await source.monitor.start();
    await psamClient.insert();
    await waitFor(() => cardIn(READER_1), 5000, 'PSAM seen by pcscd');
    psamTransport = await source.connector.connect(READER_1);
  });
  afterAll(async () => {
    await psamTransport?.close();
    await psamClient.remove();
    await slot.remove();
    await source.stop();
  });

  async function withSession<T>(fn: (s: SocialSecuritySession, wire: WireCounter) => Promise<T>): Promise<T> {
    const t = await slot.connect();
    try {
      const wire = new WireCounter(t);
      return await fn(new SocialSecuritySession(apduStack(wire), { atr: t.atr }), wire);
    } finally {
      await t.close();
    }
  }

  const sources: [string, () => Promise<KeyService>][] = [
    ['soft', async () => SoftKeyService.withTestKeys()],
    ['psam (slot 1)', async () => PsamKeyService.open(apduStack(psamTransport))],
  ];
  for (const [name, keysOf] of sources) {
    for (const profile of ['demo', 'v3-sm4']) {
      it(`${profile}, ${name} keys: every PIN operation and the authenticated read`, async () => {
        const keys = await keysOf();
        const card = createSimulatedCard(profile);
        await slot.insert(card);
        await withSession(async (s) => {
          expect(await s.pinStatus()).toEqual({ state: 'active', triesLeft: 3 });
          await expect(s.verifyPin(pin('111111'))).rejects.toMatchObject({ code: 'WRONG_PIN', triesLeft: 2 });
          expect(await s.verifyPin(pin('123456'))).toEqual({ status: 'verified' });
          expect(await s.changePin(pin('123456'), pin('135790'))).toEqual({ status: 'changed' });
          const codes: unknown[] = [];
          for (let i = 0; i < 3; i++) codes.push(await s.verifyPin(pin('999999'), { confirmLastTry: true }).catch((e: { code: string; triesLeft?: number }) => [e.code, e.triesLeft]));
          expect(codes).toEqual([['WRONG_PIN', 2], ['WRONG_PIN', 1], ['PIN_BLOCKED', 0]]);
          expect(await s.pinStatus()).toEqual({ state: 'blocked' });
          expect(await s.unblockPin(keys)).toMatchObject({ status: 'unblocked' });
          expect(await s.verifyPin(pin('135790'))).toEqual({ status: 'verified' });
          expect(await s.reloadPin(keys, pin('246813'))).toMatchObject({ status: 'reloaded' });
          expect(await s.verifyPin(pin('246813'))).toEqual({ status: 'verified' });
          const read = await s.read({ keys, checkGenuine: true });
          expect(read.holder.status).toBe('read');
          expect(read.genuine).toBe('genuine');
          if (profile === 'v3-sm4') expect(read.holder).toMatchObject({ data: { name: '林晓燕', birthDate: '2001-02-15' } });
        });
      });
    }
  }

  it('CLI: sscard pin ... --pin-stdin and read --keys through pcscd (soft and PSAM keys); test keys refused without --allow-test-keys', async () => {
    const env = { SSCARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'sscard-pin-pcsc-')), SSCARD_SITE: '440300-counter-1', SSCARD_OPERATOR: 'op1' };
    const card = createSimulatedCard('v3-sm4');
    await slot.insert(card);
    const r0 = ['--reader', READER_0];
    expect((await sscard(['pin', 'status', ...r0], '', env)).stdout).toContain('3 tries left');
    expect((await sscard(['pin', 'verify', ...r0, '--pin-stdin'], '111111\n', env)).code).toBe(1);
    expect((await sscard(['pin', 'status', ...r0, '--json'], '', env)).stdout).toContain('"triesLeft": 2');
    expect((await sscard(['pin', 'change', ...r0, '--pin-stdin'], '123456\n135790\n135790\n', env)).stdout).toContain('PIN changed.');
    expect((await sscard(['pin', 'verify', ...r0, '--pin-stdin'], '135790\n', env)).stdout).toContain('PIN verified.');
    const refused = await sscard(['pin', 'unblock', ...r0], '', env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('TEST_KEYS_REFUSED');
    const reset = await sscard(['pin', 'reset', ...r0, '--allow-test-keys', '--pin-stdin'], '246813\n246813\n', env);
    expect(reset.stdout).toContain('[counter operation] PIN reset');
    await psamTransport.close(); // the CLI opens the PSAM slot itself (exclusive connection)
    const unblock = await sscard(['pin', 'unblock', ...r0, '--keys', 'psam', '--psam-reader', READER_1], '', env);
    expect(unblock.stderr).toBe('');
    expect(unblock.stdout).toContain('PIN unblocked');
    expect(card.securitySnapshot().pinTriesLeft).toBe(3);
    expect((await sscard(['pin', 'verify', ...r0, '--pin-stdin'], '246813\n', env)).code).toBe(0);
    const read = JSON.parse((await sscard(['read', ...r0, '--keys', 'psam', '--psam-reader', READER_1, '--json'], '', env)).stdout);
    expect(read).toMatchObject({ holderStatus: 'read', authenticated: true, holder: { ssn: '440305200102151026' } });
    psamTransport = await source.connector.connect(READER_1);
    const audit = await sscard(['audit', '--json'], '', env);
    expect(JSON.parse(audit.stdout).map((e: { action: string }) => e.action)).toEqual(['pin-reset', 'pin-unblock']);
  });

  it('CLI: application block through pcscd, then read shows APPLICATION BLOCKED (9303)', async () => {
    const env = { SSCARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'sscard-pin-pcsc-')), SSCARD_SITE: '110100-counter-1', SSCARD_OPERATOR: 'op1' };
    await slot.insert(createSimulatedCard('demo'));
    const r0 = ['--reader', READER_0, '--allow-test-keys'];
    const unconfirmed = await sscard(['block', ...r0, '--application', '--confirm', 'BLOCK-APPLICATION'], '', env);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/BAD_ARGUMENT: .*--confirm-again/);
    const b = await sscard(['block', ...r0, '--application', '--confirm', 'BLOCK-APPLICATION', '--confirm-again', 'A12345674'], '', env);
    expect(b.stdout).toContain('APPLICATION BLOCKED');
    const read = await sscard(['read', '--reader', READER_0], '', env);
    expect(read.code).toBe(1);
    expect(read.stdout).toContain('APPLICATION BLOCKED (permanent, SW 9303)');
  });

  const NEW = '135790';
  async function outcomeAfter(card: SocialSecurityCardOs): Promise<'new' | 'old'> {
    await slot.remove();
    await slot.insert(card);
    return withSession(async (s) => {
      expect((await s.pinStatus()).state).toBe('active');
      try {
        await s.verifyPin(pin(NEW), { confirmLastTry: true });
        return 'new';
      } catch (e) {
        // only a wrong PIN means "the old one is still set"; anything else is a test failure
        expect(e).toMatchObject({ code: 'WRONG_PIN' });
        await s.verifyPin(pin('123456'), { confirmLastTry: true });
        return 'old';
      }
    });
  }

  const ops: [string, (s: SocialSecuritySession) => Promise<unknown>][] = [
    ['CHANGE PIN', (s) => s.changePin(pin('123456'), pin(NEW))],
    ['PIN RELOAD', (s) => s.reloadPin(SoftKeyService.withTestKeys(), pin(NEW))],
  ];
  for (const [name, op] of ops) {
    it(`card pulled during ${name} at every APDU index: done / not-done / unknown, never a wrong done`, async () => {
      const profile = 'v3-sm4';
      await slot.insert(createSimulatedCard(profile));
      const n = await withSession(async (s, wire) => {
        await op(s);
        return wire.apdus;
      });
      const seen: string[] = [];
      for (let at = 0; at <= n; at++) {
        const card = createSimulatedCard(profile);
        await slot.insert(card, { pullAtApdu: at });
        let outcome: string;
        try {
          await withSession(async (s) => op(s));
          outcome = 'done';
        } catch (e) {
          expect(e, `pull at ${at}`).toBeInstanceOf(OperationInterruptedError);
          outcome = (e as OperationInterruptedError).outcome;
        }
        const state = await outcomeAfter(card);
        if (outcome === 'done') expect(state, `pull at ${at}`).toBe('new');
        if (outcome === 'not-done') expect(state, `pull at ${at}`).toBe('old');
        seen.push(`${at}:${outcome}:${state}`);
      }
      expect(seen.slice(0, n - 1).every((x) => x.endsWith(':not-done:old'))).toBe(true);
      expect(seen[n - 1]).toMatch(/^\d+:unknown:(old|new)$/);
      expect(seen[n]).toBe(`${n}:done:new`);
    }, 180_000);
  }
});

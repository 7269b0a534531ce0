import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../src/core/hex.js';
import { apduStack } from '../../../../src/apdu/apdu-stack.js';
import { apduChannel } from '../../../../src/apdu/apdu-channel.js';
import { SocialSecuritySession } from '../../../../src/cards/social-security/social-security-session.js';
import { OperationInterruptedError } from '../../../../src/cards/social-security/operation-interrupted-error.js';
import { buildGetChallenge, buildExternalAuthenticate, buildMacCommand, macInput, PIN_UNBLOCK } from '../../../../src/cards/social-security/commands/security-commands.js';
import { parseExternalAuthenticate } from '../../../../src/cards/social-security/auth/external-authenticate.js';
import { securityStatusError } from '../../../../src/cards/social-security/card-status-words.js';
import { parseChallenge } from '../../../../src/cards/social-security/auth/parse-challenge.js';
import { createSimulatedCard } from '../../../../simulators/create-card.js';
import { scriptedRandom, OPENSSL } from '../../simulators/security-helpers.js';
import { LoseAnswerAt, pin, psamKeys, reconnect, rejection, simSession, softKeys } from './pin-helpers.js';

describe('PIN status, verify, change against the simulated card (docs/reference/card-spec.md §3)', () => {
  it('status spends no try; wrong PINs count down 3 -> 2 -> 1, the guard stops the last one, confirmed it blocks', async () => {
    const { session, card } = simSession('demo');
    expect(await session.pinStatus()).toEqual({ state: 'active', triesLeft: 3 });
    expect(await session.pinStatus()).toEqual({ state: 'active', triesLeft: 3 });
    expect(await rejection(session.verifyPin(pin('111111')))).toMatchObject({ code: 'WRONG_PIN', triesLeft: 2 });
    expect(await rejection(session.verifyPin(pin('111111')))).toMatchObject({ code: 'WRONG_PIN', triesLeft: 1 });
    expect(await session.pinStatus()).toEqual({ state: 'active', triesLeft: 1 });
    // last-try guard: nothing sent
    const before = card.securitySnapshot().pinTriesLeft;
    expect(await rejection(session.verifyPin(pin('123456')))).toMatchObject({ code: 'LAST_TRY_NOT_CONFIRMED', triesLeft: 1 });
    expect(card.securitySnapshot().pinTriesLeft).toBe(before);
    expect(await rejection(session.verifyPin(pin('111111'), { confirmLastTry: true }))).toMatchObject({ code: 'PIN_BLOCKED', triesLeft: 0 });
    expect(await session.pinStatus()).toEqual({ state: 'blocked' });
    // blocked: the right PIN is not even sent
    expect(await rejection(session.verifyPin(pin('123456'), { confirmLastTry: true }))).toMatchObject({ code: 'PIN_BLOCKED' });
    expect(card.securitySnapshot().pinBlocked).toBe(true);
  });

  it('a right PIN resets the counter; confirmed last try with the right PIN verifies', async () => {
    const { session } = simSession('v1-zhang-san');
    await rejection(session.verifyPin(pin('111111')));
    await rejection(session.verifyPin(pin('111111')));
    expect(await session.verifyPin(pin('123456'), { confirmLastTry: true })).toEqual({ status: 'verified' });
    expect(await session.pinStatus()).toEqual({ state: 'active', triesLeft: 3 });
  });

  it('format is checked before anything reaches the card', async () => {
    const { session, wire } = simSession('demo');
    expect(await rejection(session.verifyPin(pin('1234')))).toMatchObject({ code: 'PIN_FORMAT' });
    expect(await rejection(session.changePin(pin('123456'), pin('12')))).toMatchObject({ code: 'PIN_FORMAT' });
    expect(await rejection(session.changePin(pin('123456'), pin('111111')))).toMatchObject({ code: 'PIN_POLICY', reason: 'ALL_SAME_DIGITS' });
    expect(wire.commands).toEqual([]);
  });

  it('change: wrong old PIN counts down; right old PIN sets the new one; birth date refused', async () => {
    const { session } = simSession('demo');
    expect(await rejection(session.changePin(pin('123456'), pin('900307'), { birthDate: '1990-03-07' }))).toMatchObject({ code: 'PIN_POLICY', reason: 'BIRTH_DATE' });
    expect(await rejection(session.changePin(pin('999999'), pin('135790')))).toMatchObject({ code: 'WRONG_PIN', triesLeft: 2, details: { which: 'old' } });
    expect(await session.changePin(pin('123456'), pin('135790'))).toEqual({ status: 'changed' });
    expect(await session.pinStatus()).toEqual({ state: 'active', triesLeft: 3 });
    expect(await rejection(session.verifyPin(pin('123456')))).toMatchObject({ code: 'WRONG_PIN' });
    expect(await session.verifyPin(pin('135790'))).toEqual({ status: 'verified' });
  });

  it('the 4-16 policy lets a 4- and a 16-digit PIN through to the card', async () => {
    const { session } = simSession('demo');
    const policy = { minLength: 4, maxLength: 16 };
    await session.changePin(pin('123456'), pin('1357924680135792'), { policy });
    expect(await session.verifyPin(pin('1357924680135792'), { policy })).toEqual({ status: 'verified' });
    await session.changePin(pin('1357924680135792'), pin('2468'), { policy });
    expect(await session.verifyPin(pin('2468'), { policy })).toEqual({ status: 'verified' });
  });
});

describe.each([
  ['soft', softKeys],
  ['psam', psamKeys],
] as const)('counter operations with %s keys', (_name, makeKeys) => {
  for (const profile of ['demo', 'v3-sm4']) {
    it(`${profile}: reload restores a blocked PIN with a new one; unblock restores the counter`, async () => {
      const keys = await makeKeys();
      const { session, card } = simSession(profile);
      for (let i = 0; i < 3; i++) await rejection(session.verifyPin(pin('111111'), { confirmLastTry: true }));
      expect(await session.pinStatus()).toEqual({ state: 'blocked' });
      expect(await session.reloadPin(keys, pin('246813'))).toEqual({ status: 'reloaded', counterOnly: true });
      expect(await session.pinStatus()).toEqual({ state: 'active', triesLeft: 3 });
      expect(await session.verifyPin(pin('246813'))).toEqual({ status: 'verified' });
      await rejection(session.verifyPin(pin('111111')));
      await rejection(session.verifyPin(pin('111111')));
      expect(await session.unblockPin(keys)).toEqual({ status: 'unblocked', counterOnly: true });
      expect(card.securitySnapshot().pinTriesLeft).toBe(3);
      expect(await session.verifyPin(pin('246813'))).toEqual({ status: 'verified' });
    });

    it(`${profile}: authenticated read returns the holder data; internal authentication says genuine`, async () => {
      const keys = await makeKeys();
      const { session } = simSession(profile);
      const plain = await new SocialSecuritySession(apduStack(simSession(profile).wire)).read();
      const read = await session.read({ keys, checkGenuine: true });
      expect(read.holder.status).toBe('read');
      expect(read.genuine).toBe('genuine');
      if (profile === 'v3-sm4') {
        expect(plain.holder.status).toBe('needs-authentication');
        expect(read.authenticated).toBe(true);
        expect(read.holder).toMatchObject({ data: { ssn: '440305200102151026', name: '林晓燕', birthDate: '2001-02-15' } });
      } else {
        expect(read.authenticated).toBeUndefined();
        expect(read.holder).toEqual(plain.holder);
      }
    });

    it(`${profile}: application block -> later SELECT answers 9303 (typed)`, async () => {
      const keys = await makeKeys();
      const { session, card } = simSession(profile);
      const read = await session.read();
      expect(await rejection(session.blockApplication(keys, { confirm: 'yes', confirmAgain: read.card.cardNumber }))).toMatchObject({ code: 'BLOCK_NOT_CONFIRMED' });
      expect(await rejection(session.blockApplication(keys, { confirm: 'BLOCK-APPLICATION', confirmAgain: 'X00000019' }))).toMatchObject({ code: 'BLOCK_CARD_MISMATCH' });
      expect(card.securitySnapshot().applicationBlocked).toBe(false);
      expect(await session.blockApplication(keys, { confirm: 'BLOCK-APPLICATION', confirmAgain: read.card.cardNumber })).toEqual({ status: 'application-blocked', sw: '9303', counterOnly: true });
      expect(await rejection(reconnect(card, profile).read())).toMatchObject({ code: 'APPLICATION_BLOCKED', sw: '9303', layer: 'card' });
    });

    it(`${profile}: card block -> every later command 6A81 (typed)`, async () => {
      const keys = await makeKeys();
      const { session, card } = simSession(profile);
      const read = await session.read();
      expect(await session.blockCard(keys, { confirm: 'BLOCK-CARD', confirmAgain: read.card.cardNumber })).toMatchObject({ status: 'card-blocked', sw: '6A81' });
      expect(await rejection(reconnect(card, profile).read())).toMatchObject({ code: 'CARD_BLOCKED', sw: '6A81' });
      expect(await rejection(reconnect(card, profile).pinStatus())).toMatchObject({ code: 'CARD_BLOCKED' });
    });
  }
});

describe('keys, MACs and challenges the card refuses (docs/reference/security-profile.md steps 6-7)', () => {
  it('reload known answer: the exact command bytes the openssl numbers give (demo, R4 A1B2C3D4, PIN 654321)', async () => {
    const { session, wire } = simSession('demo', { random: scriptedRandom('A1B2C3D4') });
    expect(await rejection(session.reloadPin(softKeys(), pin('654321')))).toMatchObject({ code: 'PIN_POLICY', reason: 'SEQUENCE' });
    await session.reloadPin(softKeys(), pin('654321'), { enforcePolicy: false });
    expect(wire.commands.at(-1)).toBe(`842400010C${OPENSSL.demo.reload.enc}${OPENSSL.demo.reload.mac}`);
  });

  it('unblock known answer (SM4)', async () => {
    const { session, wire } = simSession('v3-sm4', { random: scriptedRandom('A1B2C3D4') });
    await session.unblockPin(softKeys());
    expect(wire.commands.at(-1)).toBe(`8424000004${OPENSSL['v3-sm4'].unblockMac}`);
  });

  it('wrong MAC -> 6988 MAC_REJECTED; stale challenge -> 6988; no challenge -> 6984', async () => {
    const { session } = simSession('demo');
    const ch = session.channel;
    await session.ensureSelected();
    // no challenge since the reset
    let r = await ch.send(buildMacCommand(PIN_UNBLOCK, new Uint8Array(0), Uint8Array.of(1, 2, 3, 4)));
    expect(toHex(Uint8Array.of(r.sw1, r.sw2))).toBe('6984');
    expect(securityStatusError(r.sw, 'PIN UNBLOCK')).toMatchObject({ code: 'CHALLENGE_MISSING' });
    // wrong MAC
    await ch.send(buildGetChallenge(4));
    r = await ch.send(buildMacCommand(PIN_UNBLOCK, new Uint8Array(0), Uint8Array.of(1, 2, 3, 4)));
    expect(securityStatusError(r.sw, 'PIN UNBLOCK')).toMatchObject({ code: 'MAC_REJECTED', details: { sw: '6988' } });
    // right MAC over a stale challenge (another command in between)
    const ctx = await session.keyContext();
    const challenge = parseChallenge(await ch.send(buildGetChallenge(4)), 4);
    await session.pinStatus();
    const mac = await softKeys().mac(ctx, 'PUK', challenge, macInput(PIN_UNBLOCK, new Uint8Array(0)));
    r = await ch.send(buildMacCommand(PIN_UNBLOCK, new Uint8Array(0), mac));
    expect(r.sw).toBe(0x6988);
  });

  it('external authentication: wrong key id 6A88, wrong value counts 63C2 63C1 then 6983 blocked (typed)', async () => {
    const { session, card } = simSession('v3-sm4');
    await session.ensureSelected();
    const ch = session.channel;
    const ctx = await session.keyContext();
    const d8 = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const r8 = parseChallenge(await ch.send(buildGetChallenge(8)), 8);
    const auth = await softKeys().externalAuth(ctx, 'RKSSSE', r8, d8);
    const wrongId = await ch.send(buildExternalAuthenticate(0x0b, auth, d8));
    expect(() => parseExternalAuthenticate(wrongId, 'RKSSSE')).toThrow(expect.objectContaining({ code: 'KEY_NOT_FOUND' }));
    // RKSSSE value from the wrong master key (UKSSSE) three times
    const codes: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const c = parseChallenge(await ch.send(buildGetChallenge(8)), 8);
      const bad = await softKeys().externalAuth(ctx, 'UKSSSE', c, d8);
      try {
        parseExternalAuthenticate(await ch.send(buildExternalAuthenticate(0x0a, bad, d8)), 'RKSSSE');
      } catch (e) {
        codes.push([(e as { code: string }).code, (e as { triesLeft?: number }).triesLeft]);
      }
    }
    expect(codes).toEqual([
      ['EXTERNAL_AUTH_FAILED', 2],
      ['EXTERNAL_AUTH_FAILED', 1],
      ['EXTERNAL_AUTH_BLOCKED', undefined],
      ['EXTERNAL_AUTH_BLOCKED', undefined],
    ]);
    expect(card.securitySnapshot().extAuthTriesLeft.RKSSSE).toBe(0);
    expect(await rejection(session.read({ keys: softKeys() }))).toMatchObject({ code: 'EXTERNAL_AUTH_BLOCKED', layer: 'auth' });
  });

  it('internal authentication of a card with other keys -> not-genuine (an outcome, not an error)', async () => {
    const { session } = simSession('demo');
    const other = { ...softKeys(), kind: 'soft' as const, internalAuth: async () => new Uint8Array(8) };
    const keys = softKeys();
    expect(await session.internalAuthenticate({ ...other, externalAuth: keys.externalAuth.bind(keys), mac: keys.mac.bind(keys), encryptPin: keys.encryptPin.bind(keys) })).toEqual({ outcome: 'not-genuine' });
    expect(await session.internalAuthenticate(keys)).toEqual({ outcome: 'genuine' });
  });
});

describe('card pulled during change / reload / unblock at every APDU index: never a wrong done', () => {
  async function count(profile: string, op: (s: SocialSecuritySession) => Promise<unknown>): Promise<number> {
    const { session, wire } = simSession(profile);
    await op(session);
    return wire.commands.length;
  }
  type Op = { name: string; run: (s: SocialSecuritySession) => Promise<unknown>; changed: (card: ReturnType<typeof createSimulatedCard>, profile: string) => Promise<boolean> };
  const newPinWorks = async (card: ReturnType<typeof createSimulatedCard>, profile: string) => {
    const s = reconnect(card, profile);
    expect((await s.pinStatus()).state).toBe('active');
    try {
      await s.verifyPin(pin('135790'), { confirmLastTry: true });
      return true;
    } catch {
      await s.verifyPin(pin('123456'), { confirmLastTry: true });
      return false;
    }
  };
  const ops: Op[] = [
    { name: 'CHANGE PIN', run: (s) => s.changePin(pin('123456'), pin('135790')), changed: newPinWorks },
    { name: 'PIN RELOAD', run: (s) => s.reloadPin(softKeys(), pin('135790')), changed: newPinWorks },
  ];
  for (const profile of ['demo', 'v3-sm4']) {
    for (const op of ops) {
      it(`${profile} ${op.name}`, async () => {
        const n = await count(profile, op.run);
        const seen: string[] = [];
        for (let at = 0; at < n; at++) {
          // (a) the card never sees the APDU at index `at` (pulled as it arrives)
          const a = simSession(profile, { pullAtApdu: at });
          const ea = await rejection(op.run(a.session));
          expect(ea).toBeInstanceOf(OperationInterruptedError);
          const outcomeA = (ea as unknown as OperationInterruptedError).outcome;
          expect(outcomeA).toBe(at === n - 1 ? 'unknown' : 'not-done');
          expect(await op.changed(a.card, profile)).toBe(false);
          // (b) the card executes it but the answer is lost
          const card = createSimulatedCard(profile);
          const b = new SocialSecuritySession(apduStack(new LoseAnswerAt(card, at)), { atr: card.atr() });
          const eb = (await rejection(op.run(b))) as unknown as OperationInterruptedError;
          expect(eb.outcome).toBe(at === n - 1 ? 'unknown' : 'not-done');
          const changed = await op.changed(card, profile);
          // not-done must be true; unknown may be either (here: executed)
          if (eb.outcome === 'not-done') expect(changed).toBe(false);
          seen.push(`${at}:${outcomeA}/${eb.outcome}${changed ? '+changed' : ''}`);
        }
        expect(seen.at(-1)).toBe(`${n - 1}:unknown/unknown+changed`);
      });
    }
  }

  it('unblock and application block: interrupted on the command -> unknown, before -> not-done', async () => {
    for (const profile of ['demo']) {
      const n = await count(profile, (s) => s.unblockPin(softKeys()));
      for (let at = 0; at < n; at++) {
        const a = simSession(profile, { pullAtApdu: at });
        const e = (await rejection(a.session.unblockPin(softKeys()))) as unknown as OperationInterruptedError;
        expect(e.outcome).toBe(at === n - 1 ? 'unknown' : 'not-done');
        expect(e.code).toBe('OPERATION_INTERRUPTED');
      }
    }
  });
});

describe('apduChannel import kept for scripted tests', () => {
  it('a scripted transmitter drives the guard: 63C1 -> LAST_TRY_NOT_CONFIRMED, VERIFY never sent', async () => {
    const sent: string[] = [];
    const answers: Record<string, string> = { '00A404000F7378312E73682EC9E7BBE1B1A3D5CF': '9000', '00200000': '63C1' };
    const session = new SocialSecuritySession({
      async transmit(c) {
        const h = toHex(c);
        sent.push(h);
        return Uint8Array.from(Buffer.from(answers[h] ?? '6D00', 'hex'));
      },
    });
    expect(await rejection(session.verifyPin(pin('123456')))).toMatchObject({ code: 'LAST_TRY_NOT_CONFIRMED' });
    expect(sent).toEqual(['00A404000F7378312E73682EC9E7BBE1B1A3D5CF', '00200000']);
    void apduChannel;
  });
});

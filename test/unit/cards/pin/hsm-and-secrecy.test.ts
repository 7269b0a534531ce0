import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { beginHsmRead } from '../../../../src/cards/social-security/auth/hsm-read.js';
import { computeHsmStep2, formatHsmStep2, parseHsmStep1 } from '../../../../src/keys/hsm/hsm-two-step.js';
import { loadProfile } from '../../../../simulators/load-profile.js';
import { createSimulatedCard } from '../../../../simulators/create-card.js';
import { runCli } from '../../../support/cli.js';
import { pin, rejection, simSession, softKeys } from './pin-helpers.js';

describe('HSM two-step read (docs/reference/card-spec.md §4; SoftKeyService stands in for the HSM)', () => {
  for (const profile of ['v3-sm4', 'demo']) {
    it(`${profile}: step 1 factors -> HSM values -> step 2 reads the holder and checks the card`, async () => {
      const { session, wire } = simSession(profile);
      const step1 = await beginHsmRead(session, { authenticate: profile === 'v3-sm4' ? undefined : true });
      const fields = step1.text.split('|');
      expect(fields).toHaveLength(9);
      expect(fields[0]).toBe(loadProfile(profile).card.cardIdentificationCode.slice(0, 6));
      expect(fields[2]).toBe(loadProfile(profile).algorithm);
      expect(wire.commands.at(-1)).toBe('0084000008'); // the challenge is the last thing the card saw
      // the HSM side: only the text crosses
      const values = formatHsmStep2(await computeHsmStep2(parseHsmStep1(step1.text), softKeys()));
      const read = await step1.complete(values);
      expect(read.holder.status).toBe('read');
      expect(read.authenticated).toBe(true);
      expect(read.genuine).toBe('genuine');
      expect(read.holder).toMatchObject({ data: { ssn: loadProfile(profile).holder.ssn } });
      await expect(step1.complete(values)).rejects.toMatchObject({ code: 'HSM_OPERATION_NOT_PREPARED' });
    });
  }
  it('values from another key set: external authentication fails with 63Cx typed', async () => {
    const { session } = simSession('v3-sm4');
    const step1 = await beginHsmRead(session);
    const v = await computeHsmStep2(parseHsmStep1(step1.text), softKeys());
    const bad = { internal: v.internal, external: { auth: new Uint8Array(8), original: v.external!.original } };
    expect(await rejection(step1.complete(bad))).toMatchObject({ code: 'EXTERNAL_AUTH_FAILED', triesLeft: 2 });
  });
});

/**
 * PIN secrecy: every byte the library and the CLI produce (stdout, stderr, traffic log,
 * transcripts, error messages, JSON of errors) is searched for the test PINs in ASCII, ASCII-hex
 * and BCD-hex forms.
 */
const SECRET_PINS = ['582047', '739164', '904716', '5820471'];
const forms = (p: string) => [p, Buffer.from(p, 'ascii').toString('hex').toUpperCase(), (p.length % 2 ? `${p}F` : p).toUpperCase()];
function expectNoPin(text: string, where: string): void {
  for (const p of SECRET_PINS) for (const f of forms(p)) expect(text.includes(f), `${where} contains a form of a test PIN (${f.length} chars)`).toBe(false);
}

describe('PIN secrecy', () => {
  it('library: transcripts, error messages and error JSON never contain a PIN', async () => {
    const card = createSimulatedCard({ ...loadProfile('demo'), security: { pin: '582047' } });
    const { session, recorder } = simSession('demo', { card });
    const collected: string[] = [];
    const attempt = async (p: Promise<unknown>) => {
      try {
        collected.push(JSON.stringify(await p));
      } catch (e) {
        collected.push(String(e), (e as Error).message, JSON.stringify(e), (e as Error).stack ?? '');
      }
    };
    await attempt(session.verifyPin(pin('904716')));
    await attempt(session.verifyPin(pin('5820471'), { policy: { minLength: 4, maxLength: 16 } }));
    await attempt(session.verifyPin(pin('582047')));
    await attempt(session.verifyPin(pin('582047'), { confirmLastTry: true }));
    await attempt(session.changePin(pin('582047'), pin('739164')));
    await attempt(session.changePin(pin('739164'), pin('582047')));
    await attempt(session.reloadPin(softKeys(), pin('739164')));
    await attempt(session.changePin(pin('904716'), pin('904716')));
    const buf = pin('582047');
    collected.push(String(buf), JSON.stringify({ buf }), `${buf}`);
    buf.wipe();
    collected.push(recorder.toText());
    expect(recorder.exchanges.some((e) => e.command.startsWith('805E0100') && e.command.includes('**'))).toBe(true);
    expectNoPin(collected.join('\n'), 'library output');
  });

  it('CLI with --traffic and --json: stdout and stderr never contain a PIN', () => {
    const env = { SSCARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'sscard-pin-')), SSCARD_SITE: '110100-counter', SSCARD_OPERATOR: 'tester' };
    const runs = [
      runCli(['pin', 'verify', '--sim', '--pin-stdin', '--traffic'], { env, input: '904716\n' }),
      runCli(['pin', 'verify', '--sim', '--pin-stdin', '--traffic', '--json'], { env, input: '5820471\n' }),
      runCli(['pin', 'change', '--sim', '--pin-stdin', '--traffic', '--json'], { env, input: '123456\n582047\n582047\n' }),
      runCli(['pin', 'change', '--sim', '--pin-stdin', '--traffic'], { env, input: '904716\n739164\n739164\n' }),
      runCli(['pin', 'change', '--sim', '--pin-stdin', '--traffic'], { env, input: '123456\n582047\n739164\n' }),
      runCli(['pin', 'reset', '--sim', '--pin-stdin', '--traffic', '--json'], { env, input: '739164\n739164\n' }),
      runCli(['pin', 'reset', '--sim', '--keys', 'psam', '--psam-reader', 'sim', '--pin-stdin', '--traffic'], { env, input: '582047\n582047\n' }),
      runCli(['pin', 'reset', '--sim', '--pin-stdin', '--traffic'], { env, input: '58x047\n58x047\n' }),
    ];
    expect(runs.map((r) => r.code)).toEqual([1, 2, 0, 1, 2, 0, 0, 2]);
    expect(runs[1]!.stderr).toContain('PIN_FORMAT');
    expect(runs[3]!.stderr).toContain('WRONG_PIN');
    expect(runs[4]!.stderr).toContain('PIN_FORMAT: the two entries of the new PIN differ');
    expect(runs[6]!.stderr).toMatch(/=> 80FA0100[0-9A-F]{2}\*\*/); // the PSAM's plain PIN block is masked
    expectNoPin(runs.map((r) => r.stdout + r.stderr).join('\n'), 'CLI output');
  }, 60_000);
});

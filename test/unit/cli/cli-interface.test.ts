import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

describe('sscard --interface (iType)', () => {
  it('iType 1 and contactless-first read the simulated card, a contact reader', () => {
    for (const kind of ['1', 'contactless-first']) {
      const r = runCli(['read', '--sim', '--interface', kind, '--json']);
      expect(r.code, kind).toBe(0);
      expect(JSON.parse(r.stdout).reader.kind).toBe('simulated');
    }
  });

  it('contactless when the only card is on a contact reader: WRONG_CARD_TYPE, exit 3, card untouched', () => {
    const r = runCli(['read', '--sim', '--interface', 'contactless', '--wait', '0']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^sscard: WRONG_CARD_TYPE: /);
    expect(r.stdout).toBe('');
  });

  it('bad --interface values are usage errors before anything is opened', () => {
    for (const bad of ['5', 'both']) {
      const r = runCli(['read', '--sim', '--interface', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain('BAD_ARGUMENT');
    }
  });

  it('`readers` shows the interface column', () => {
    const r = runCli(['readers', '--sim']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/READER\s+KIND\s+INTERFACE\s+CARD\s+ATR/);
    expect(r.stdout).toMatch(/SIMULATED\s+contact\s+yes/);
  });
});

import { describe, expect, it } from 'vitest';
import { simulatedPullAtApdu } from '../../../src/compose/reader-sources.js';
import { ComposeError } from '../../../src/compose/compose-error.js';
import { runCli } from '../../support/cli.js';

/** SSCARD_SIM_PULL_AT_APDU: the in-process reader's card-pull fault injection (docs/simulator.md). */
describe('SSCARD_SIM_PULL_AT_APDU', () => {
  it('unset or empty: never; an index: that APDU', () => {
    expect(simulatedPullAtApdu({})).toBeUndefined();
    expect(simulatedPullAtApdu({ SSCARD_SIM_PULL_AT_APDU: '' })).toBeUndefined();
    expect(simulatedPullAtApdu({ SSCARD_SIM_PULL_AT_APDU: '5' })).toBe(5);
  });

  it('bad input: not an index is a typed usage error, the CLI exits 2 before touching the card', () => {
    for (const v of ['-1', '1.5', 'five', '99999']) {
      expect(() => simulatedPullAtApdu({ SSCARD_SIM_PULL_AT_APDU: v }), v).toThrow(ComposeError);
    }
    const r = runCli(['read', '--profile', 'demo'], { env: { SSCARD_SIM_PULL_AT_APDU: 'soon' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SSCARD_SIM_PULL_AT_APDU must be an APDU index 0-9999');
  });

  it('the CLI read with the card pulled at the SELECT: CARD_REMOVED, exit non-zero', () => {
    const r = runCli(['read', '--profile', 'demo', '--json'], { env: { SSCARD_SIM_PULL_AT_APDU: '0', SSCARD_CONFIG: '' } });
    expect(r.code).not.toBe(0);
    expect(JSON.parse(r.stdout).error.wire).toEqual({ code: 'CARD_REMOVED' });
  });
});

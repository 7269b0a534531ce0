import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfile } from '../../../simulators/load-profile.js';
import { expectedFinancial, PBOC_PROFILES } from '../../contract/expected-financial.js';
import { runCli } from '../../support/cli.js';

const env = () => ({ SSCARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'sscard-cli-fin-')) });

describe('sscard read --financial / --all (simulated cards)', () => {
  it.each(PBOC_PROFILES)('%s: --financial --json prints the profile’s financial summary', (id) => {
    const r = runCli(['read', '--profile', id, '--financial', '--json'], { env: env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { financial } = JSON.parse(r.stdout);
    const want = expectedFinancial(loadProfile(id));
    expect(financial).toMatchObject({
      pan: want.pan,
      panSequenceNumber: want.panSequenceNumber,
      expiryDate: want.expiryDate,
      effectiveDate: want.effectiveDate,
      holderName: want.holderName,
      ecBalanceFen: want.ecBalanceFen,
      path: want.path,
    });
    expect(financial.transactions.map((t: { amountFen: number }) => t.amountFen)).toEqual(want.transactions.map((t) => t.amountFen));
  });

  it('--all --json: the social document plus `financial`; --reveal-pan and --gpo', () => {
    const r = runCli(['read', '--sim', '--all', '--json', '--reveal-pan', '--gpo'], { env: env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.card.cardNumber).toBe('A12345674');
    expect(json.holder.name).toBe('王小明');
    expect(json.financial).toMatchObject({ pan: '6217000000000012348', panMasked: false, path: 'gpo', gpoFormat: 2 });
  });

  it('--all on a card without the financial application: social data, financial null with the reason', () => {
    const r = runCli(['read', '--profile', 'v3-sm4', '--all', '--json'], { env: env() });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.card.cardNumber).toBe('E56789014');
    expect(json.financial).toBeNull();
    expect(json.financialError.code).toBe('NO_FINANCIAL_APPLICATION');
  });

  it('the text view shows summary, balance and the last transactions', () => {
    const r = runCli(['read', '--sim', '--financial'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('SIMULATED CARD');
    expect(r.stdout).toMatch(/PAN\s+621700\*{9}2348 {2}\(masked\)/);
    expect(r.stdout).toMatch(/EC balance\s+123\.45 yuan/);
    expect(r.stdout).toContain('示例便利店');
  });

  it.each([
    [['--financial', '--all'], /exclude each other/],
    [['--gpo'], /need --financial or --all/],
    [['--reveal-pan'], /need --financial or --all/],
    [['--financial', '--keys', 'soft'], /--keys is for the social application/],
  ])('bad flags %j are usage errors (exit 2) before any card is touched', (flags, msg) => {
    const r = runCli(['read', '--sim', ...flags], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
    expect(r.stdout).toBe('');
  });
});

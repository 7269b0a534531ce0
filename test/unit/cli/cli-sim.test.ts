import { describe, expect, it } from 'vitest';
import { listProfiles, loadProfile } from '../../../simulators/load-profile.js';
import { expectedCard, expectedHolder, holderNeedsAuth } from '../../contract/expected-from-profile.js';
import { runCli } from '../../support/cli.js';

/** No stack frames ever reach the user. */
function expectNoStack(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

describe('sscard read --sim --json prints exactly the profile data', () => {
  for (const { id } of listProfiles()) {
    it(id, () => {
      const r = runCli(['read', '--profile', id, '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const json = JSON.parse(r.stdout);
      const p = loadProfile(id);
      expect(json.reader).toMatchObject({ kind: 'simulated', simulated: true });
      expect(json.reader.name).toContain(id);
      expect(json.atr).toBe(p.atr);
      expect(json.card).toEqual(expectedCard(p));
      if (holderNeedsAuth(p)) {
        expect(json.holderStatus).toBe('needs-authentication');
        expect(json.holder).toBeNull();
      } else {
        expect(json.holderStatus).toBe('read');
        expect(json.holder).toMatchObject(expectedHolder(p));
      }
    });
  }
});

describe('sscard CLI output', () => {
  it('labels the simulated card in the human table', () => {
    const r = runCli(['read', '--sim']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('SIMULATED CARD');
    expect(r.stdout).toContain('王小明');
  });
  it('sim list shows every profile and the default', () => {
    const r = runCli(['sim', 'list', '--json']);
    const list = JSON.parse(r.stdout) as { id: string; default: boolean }[];
    expect(list.map((p) => p.id).sort()).toEqual(listProfiles().map((p) => p.id).sort());
    expect(list.filter((p) => p.default).map((p) => p.id)).toEqual(['demo']);
  });
  it('apdu sends raw commands and explains the status word', () => {
    const r = runCli(['apdu', '--profile', 'v1-zhang-san', '00A404000F7378312E73682EC9E7BBE1B1A3D5CF', '00C000001E', '00B2012C00']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<= 611E');
    expect(r.stdout).toContain('61 MORE_DATA'.replace('61', '611E'));
    expect(r.stdout).toMatch(/6C12 WRONG_LE: wrong Le field: 18 is the exact length/);
    expect(r.stdout).toContain('SIMULATED');
  });
  it('apdu --chain follows 61xx and 6Cxx', () => {
    const r = runCli(['apdu', '--profile', 'v1-zhang-san', '--chain', '--json', '00A404000F7378312E73682EC9E7BBE1B1A3D5CF', '00B2012C00']);
    const ex = JSON.parse(r.stdout).exchanges;
    expect(ex[0].status).toBe('OK');
    expect(ex[0].data).toMatch(/^6F1C84/);
    expect(ex[1].data).toBe('0110639900D15600000500BF7C7A48FB4966');
  });
});

describe('bad CLI arguments: clear message, non-zero exit, no stack trace', () => {
  it.each([
    [['apdu', '--sim', 'ZZ'], 2, /BAD_ARGUMENT: APDU argument 1: not hexadecimal/],
    [['apdu', '--sim', '00A4020003EF05'], 2, /BAD_ARGUMENT: APDU argument 1: inconsistent length fields/],
    [['apdu', '--sim', '00A'], 2, /odd number of hex digits/],
    [['read', '--profile', 'nope'], 2, /PROFILE_NOT_FOUND: no simulator profile "nope" \(known: /],
    [['read', '--sim', '--wait', 'soon'], 2, /--wait must be a number of seconds/],
    [['read', '--sim', '--reader', 'No Such Reader'], 3, /READER_NOT_FOUND: no reader "No Such Reader"/],
    [['frobnicate'], 2, /unknown command 'frobnicate'/],
    [['read', '--bogus'], 2, /unknown option '--bogus'/],
    [['read', '--sim', 'v2-long-name'], 2, /too many arguments/],
    [['sim', 'serve', '--slot', '7'], 2, /--slot must be 0 or 1/],
  ])('%j -> exit %i', (args, code, message) => {
    const r = runCli(args as string[]);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expectNoStack(r.stderr);
  });
});

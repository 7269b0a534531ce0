import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderProtocolDoc } from '../../../scripts/gen-protocol-docs.js';
import { WIRE_ERRORS, WIRE_ERROR_CODES } from '../../../src/daemon/protocol/error-codes.js';
import { COMMON_ERRORS, METHODS, METHOD_NAMES } from '../../../src/daemon/protocol/methods.js';

describe('protocol declaration and docs/protocol.md', () => {
  it('the committed docs/protocol.md is the one generated from the declaration (run `node dist/scripts/gen-protocol-docs.js`)', () => {
    const committed = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'protocol.md'), 'utf8');
    expect(committed).toBe(renderProtocolDoc());
  });

  it('every declared error code exists, has a unique JSON-RPC code, and every method is documented', () => {
    const rpcs = WIRE_ERROR_CODES.map((c) => WIRE_ERRORS[c].rpc);
    expect(new Set(rpcs).size).toBe(rpcs.length);
    for (const name of METHOD_NAMES) {
      for (const e of METHODS[name].errors) expect(WIRE_ERROR_CODES).toContain(e);
      expect(renderProtocolDoc()).toContain(`### \`${name}\``);
    }
    for (const e of COMMON_ERRORS) expect(WIRE_ERROR_CODES).toContain(e);
  });

  it('counter-only methods are exactly the ones the issue names', () => {
    const grantOf = (m: (typeof METHOD_NAMES)[number]) => ('grant' in METHODS[m] ? METHODS[m].grant : undefined);
    expect(METHOD_NAMES.filter((m) => METHODS[m].role === 'counter' && !grantOf(m)).sort()).toEqual(['audit.list', 'card.block', 'card.cancel', 'card.lock', 'card.release', 'card.replace', 'pin.reset', 'pin.unblock']);
    // the holder's photo: counter, or a page given the photo grant (docs/daemon.md)
    expect(METHOD_NAMES.filter((m) => grantOf(m) !== undefined).map((m) => [m, METHODS[m].role, grantOf(m)])).toEqual([['card.photo', 'counter', 'photo']]);
  });

  it('PIN params are digit strings only; unknown keys are refused', () => {
    expect(METHODS['pin.verify'].params.safeParse({ pin: '123456' }).success).toBe(true);
    expect(METHODS['pin.verify'].params.safeParse({ pin: '12345a' }).success).toBe(false);
    expect(METHODS['pin.verify'].params.safeParse({ pin: 123456 }).success).toBe(false);
    expect(METHODS['pin.verify'].params.safeParse({ pin: '123456', extra: 1 }).success).toBe(false);
    const r = METHODS['pin.verify'].params.safeParse({ pin: '99887766x' });
    expect(JSON.stringify(r.error?.issues)).not.toContain('99887766');
  });
});

import { describe, expect, it } from 'vitest';
import { apduStack } from '../../../src/apdu/apdu-stack.js';
import { ApduError } from '../../../src/apdu/apdu-error.js';
import { withGetResponse } from '../../../src/apdu/get-response-processor.js';
import { withLeCorrection } from '../../../src/apdu/le-correction-processor.js';
import { maskCommandHex } from '../../../src/apdu/mask-secrets.js';
import { statusWords } from '../../../src/apdu/status-words.js';
import { withTrafficLog } from '../../../src/apdu/traffic-log-processor.js';
import type { Transmitter } from '../../../src/apdu/transmitter.js';
import { TranscriptRecorder } from '../../../src/apdu/transcript-recorder.js';
import { fromHex, toHex } from '../../../src/core/hex.js';

/** A scripted card: a map from command hex to response hex, recording what it saw. */
function scripted(script: Record<string, string | string[]>): Transmitter & { seen: string[] } {
  const queues = new Map(Object.entries(script).map(([k, v]) => [k, Array.isArray(v) ? [...v] : [v]]));
  const seen: string[] = [];
  return {
    seen,
    async transmit(c) {
      const hex = toHex(c);
      seen.push(hex);
      const q = queues.get(hex);
      if (!q || q.length === 0) return fromHex('6D00');
      return fromHex(q.length > 1 ? q.shift()! : q[0]!);
    },
  };
}

describe('GET RESPONSE processor (61xx)', () => {
  it('fetches the FCI after 611E (docs/reference/card-spec.md §1)', async () => {
    const card = scripted({ '00A404000F7378312E73682EC9E7BBE1B1A3D5CF': '611E', '00C000001E': 'AA'.repeat(30) + '9000' });
    const r = await withGetResponse(card).transmit(fromHex('00A404000F7378312E73682EC9E7BBE1B1A3D5CF'));
    expect(toHex(r)).toBe('AA'.repeat(30) + '9000');
    expect(card.seen).toEqual(['00A404000F7378312E73682EC9E7BBE1B1A3D5CF', '00C000001E']);
  });
  it('chains several rounds and 6100 as 256', async () => {
    const card = scripted({ '00CA000000': '0102' + '6100', '00C0000000': '03' + '6102', '00C0000002': '0405' + '9000' });
    expect(toHex(await withGetResponse(card).transmit(fromHex('00CA000000')))).toBe('01020304059000');
  });
  it('bounds a card that never stops answering 61xx', async () => {
    const card = scripted({ '00CA000000': '6101', '00C0000001': '006101' });
    await expect(withGetResponse(card).transmit(fromHex('00CA000000'))).rejects.toMatchObject({ code: 'TOO_MUCH_CHAINING' });
  });
  it('passes other responses through', async () => {
    const card = scripted({ '00B2010400': '6A83' });
    expect(toHex(await withGetResponse(card).transmit(fromHex('00B2010400')))).toBe('6A83');
  });
  it('turns a response without SW into a typed error', async () => {
    const card: Transmitter = { transmit: async () => fromHex('90') };
    await expect(withGetResponse(card).transmit(fromHex('00B2010400'))).rejects.toBeInstanceOf(ApduError);
  });
});

describe('Le correction processor (6Cxx)', () => {
  it('resends once with the exact Le (docs/reference/card-spec.md §2)', async () => {
    const card = scripted({ '00B2010400': '6C12', '00B2010412': '01' + '10' + '00'.repeat(16) + '9000' });
    const r = await withLeCorrection(card).transmit(fromHex('00B2010400'));
    expect(toHex(r).endsWith('9000')).toBe(true);
    expect(card.seen).toEqual(['00B2010400', '00B2010412']);
  });
  it('does not loop on a second 6Cxx', async () => {
    const card = scripted({ '00B2010400': '6C12', '00B2010412': '6C13' });
    expect(toHex(await withLeCorrection(card).transmit(fromHex('00B2010400')))).toBe('6C13');
    expect(card.seen).toHaveLength(2);
  });
});

describe('stack order', () => {
  it('handles 6Cxx whose retry answers 61xx', async () => {
    const card = scripted({ '00B2010400': '6C05', '00B2010405': '6105', '00C0000005': '0102030405' + '9000' });
    expect(toHex(await apduStack(card).transmit(fromHex('00B2010400')))).toBe('01020304059000');
  });
  it('records the wire below the processors, PIN masked', async () => {
    const card = scripted({ '0020000003123456': '9000', '00A4040000': '6102', '00C0000002': 'AABB9000' });
    const rec = new TranscriptRecorder();
    const lines: string[] = [];
    const stack = apduStack(card, { recorder: rec, traffic: (l) => lines.push(l) });
    await stack.transmit(fromHex('0020000003123456'));
    await stack.transmit(fromHex('00A4040000'));
    expect(rec.exchanges.map((e) => e.command)).toEqual(['0020000003******', '00A4040000', '00C0000002']);
    expect(lines[0]).toBe('=> 0020000003******');
    expect(rec.toText()).not.toContain('123456');
    expect(lines.join('\n')).not.toContain('123456');
  });
});

describe('secret masking', () => {
  it('masks VERIFY, CHANGE PIN, RELOAD and leaves others', () => {
    expect(maskCommandHex(fromHex('0020000003123456'))).toBe('0020000003******');
    expect(maskCommandHex(fromHex('805E0100071234 56FF654321'.replace(/ /g, '')))).toBe('805E010007' + '**'.repeat(7));
    expect(maskCommandHex(fromHex('84240001 0C' + 'AB'.repeat(12)))).toBe('842400010C' + '**'.repeat(12));
    expect(maskCommandHex(fromHex('80FA010008' + '0612345680000000'))).toBe('80FA010008' + '**'.repeat(8));
    expect(maskCommandHex(fromHex('00B2010400'))).toBe('00B2010400');
    expect(maskCommandHex(fromHex('0020000000'))).toBe('0020000000');
  });
  it('fails closed on extended or inconsistent secret commands', () => {
    // extended-length VERIFY: 00 20 00 00 | 00 00 03 | PIN
    expect(maskCommandHex(fromHex('00200000000003123456'))).toBe('00200000' + '**'.repeat(6));
    // Lc says 8, only 3 bytes follow
    expect(maskCommandHex(fromHex('0020000008123456'))).toBe('00200000' + '**'.repeat(4));
    // trailing bytes beyond Lc + Le
    expect(maskCommandHex(fromHex('00200000031234560000'))).toBe('00200000' + '**'.repeat(6));
    for (const c of ['00200000000003123456', '0020000008123456', '00200000031234560000']) expect(maskCommandHex(fromHex(c))).not.toContain('123456');
  });
  it('traffic log is off without a sink', () => {
    const inner: Transmitter = { transmit: async () => fromHex('9000') };
    expect(withTrafficLog(inner, undefined)).toBe(inner);
  });
});

describe('status word table', () => {
  const t = statusWords();
  it('looks up exact, nibble and byte patterns', () => {
    expect(t.lookup(0x9000).code).toBe('OK');
    expect(t.lookup(0x63c2)).toMatchObject({ code: 'VERIFICATION_FAILED_COUNTER', param: 2, meaning: 'verification failed, 2 tries left' });
    expect(t.lookup(0x6c0b)).toMatchObject({ code: 'WRONG_LE', param: 11 });
    expect(t.lookup(0x9303).code).toBe('APPLICATION_BLOCKED');
    expect(t.lookup(0x1234)).toMatchObject({ kind: 'unknown', code: 'UNKNOWN_STATUS' });
  });
  it('builds typed errors', () => {
    const e = t.errorFor(0x6a82, 'SELECT EF05');
    expect(e).toBeInstanceOf(ApduError);
    expect(e.code).toBe('FILE_NOT_FOUND');
    expect(e.swHex).toBe('6A82');
    expect(e.message).toBe('SELECT EF05: card answered 6A82 (file or application not found)');
  });
});

import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/core/hex.js';
import { PinBuffer } from '../../../src/core/pin-buffer.js';
import { cardKeyContext } from '../../../src/keys/card-key-context.js';
import {
  computeHsmStep2,
  formatHsmStep2,
  hsmStep1,
  hsmStep2,
  parseHsmStep1,
  parseHsmStep2,
} from '../../../src/keys/hsm/hsm-two-step.js';
import { SoftKeyService } from '../../../src/keys/soft/soft-key-service.js';
import { CARD, INPUTS, VECTORS } from './kat/reference-vectors.js';

const h = fromHex;
const CARD_ID = '639900D15600000500BF7C7A48FB4966';

describe.each(['01', '03'] as const)('HSM two-step read flow, algorithm %s (SoftKeyService as the HSM)', (alg) => {
  const v = VECTORS[alg];
  const ctx = cardKeyContext({ algorithmId: alg, regionCode: CARD.regionCode, atr: h(CARD.atr) });
  const request = {
    ctx,
    cardId: CARD_ID,
    internal: { factor: h(INPUTS.internalR8), original: h(INPUTS.d8) },
    external: { factor: h(INPUTS.challenge8), original: h(INPUTS.d8) },
  };

  it('step 1 gives the factors as an object and as the interface string', () => {
    const { factors, text } = hsmStep1(request);
    expect(text).toBe(
      `639900|${CARD.atrHistorical}|${alg}|${CARD_ID}|${INPUTS.internalR8}|${INPUTS.d8}|${INPUTS.challenge8}|${INPUTS.d8}|`,
    );
    expect(parseHsmStep1(text)).toEqual(factors);
  });

  it('end to end: the "HSM" computes from the string, step 2 answers exactly the prepared operations once', async () => {
    const { factors, text } = hsmStep1(request);
    // HSM side: only the step-1 text crosses over.
    const hsm = SoftKeyService.withTestKeys();
    const values = await computeHsmStep2(parseHsmStep1(text), hsm);
    const step2Text = formatHsmStep2(values);
    expect(step2Text).toBe(`${v.internal.auth}${INPUTS.d8}|${v.external.RKSSSE.auth}${INPUTS.d8}|`);

    const source = hsmStep2(factors, step2Text);
    expect(source.kind).toBe('hsm');
    expect(toHex(await source.internalAuth(ctx, h(INPUTS.internalR8), h(INPUTS.d8)))).toBe(v.internal.auth);
    expect(toHex(await source.externalAuth(ctx, 'RKSSSE', h(INPUTS.challenge8), h(INPUTS.d8)))).toBe(v.external.RKSSSE.auth);
    // once each
    await expect(source.internalAuth(ctx, h(INPUTS.internalR8), h(INPUTS.d8))).rejects.toMatchObject({ code: 'HSM_OPERATION_NOT_PREPARED' });
    await expect(source.externalAuth(ctx, 'RKSSSE', h(INPUTS.challenge8), h(INPUTS.d8))).rejects.toMatchObject({
      code: 'HSM_OPERATION_NOT_PREPARED',
    });
  });

  it('refuses anything step 1 did not prepare', async () => {
    const { factors } = hsmStep1(request);
    const source = hsmStep2(factors, await computeHsmStep2(factors, SoftKeyService.withTestKeys()));
    const other = cardKeyContext({ algorithmId: alg, regionCode: '320100', atr: h(CARD.atr) });
    await expect(source.internalAuth(other, h(INPUTS.internalR8), h(INPUTS.d8))).rejects.toMatchObject({ code: 'HSM_OPERATION_NOT_PREPARED' });
    await expect(source.internalAuth(ctx, h('0000000000000000'), h(INPUTS.d8))).rejects.toMatchObject({ code: 'HSM_OPERATION_NOT_PREPARED' });
    await expect(source.externalAuth(ctx, 'UKSSSE', h(INPUTS.challenge8), h(INPUTS.d8))).rejects.toMatchObject({
      code: 'HSM_OPERATION_NOT_PREPARED',
    });
    await expect(source.mac(ctx, 'PUK', h(INPUTS.challenge4), h('8424000004'))).rejects.toMatchObject({ code: 'HSM_OPERATION_NOT_PREPARED' });
    await expect(source.encryptPin(ctx, 'PUK', h(INPUTS.challenge4), PinBuffer.fromString('123456'))).rejects.toMatchObject({
      code: 'HSM_OPERATION_NOT_PREPARED',
    });
  });
});

describe('HSM step strings', () => {
  const ctx = cardKeyContext({ algorithmId: '03', regionCode: CARD.regionCode, atr: h(CARD.atr) });
  const { factors } = hsmStep1({ ctx, cardId: CARD_ID, internal: { factor: h(INPUTS.internalR8), original: h(INPUTS.d8) } });

  it('without external authentication the external fields are empty', () => {
    const text = hsmStep1({ ctx, cardId: CARD_ID, internal: factors.internal }).text;
    expect(text).toBe(`639900|${CARD.atrHistorical}|03|${CARD_ID}|${INPUTS.internalR8}|${INPUTS.d8}|||`);
    expect(parseHsmStep1(text).external).toBeUndefined();
    expect(formatHsmStep2({ internal: { auth: h('AAAAAAAAAAAAAAAA'), original: h(INPUTS.d8) } })).toBe(`AAAAAAAAAAAAAAAA${INPUTS.d8}||`);
  });

  it('step 2 accepts a literal "+" and lower case, and validates everything', () => {
    const parsed = parseHsmStep2(`aaaaaaaaaaaaaaaa+${INPUTS.d8}|`);
    expect(toHex(parsed.internal.auth)).toBe('AAAAAAAAAAAAAAAA');
    expect(hsmStep2(factors, `AAAAAAAAAAAAAAAA+${INPUTS.d8}|`).kind).toBe('hsm');
    for (const bad of ['', 'AAAA|', `AAAAAAAAAAAAAAAA${INPUTS.d8}X|`, `A|B|C|`]) {
      expect(() => parseHsmStep2(bad), bad).toThrow(expect.objectContaining({ code: 'HSM_BAD_VALUES' }));
    }
    // the original must echo step 1; an external value step 1 did not ask for is refused
    expect(() => hsmStep2(factors, `AAAAAAAAAAAAAAAA${'FF'.repeat(8)}|`)).toThrow(/internal original does not match/);
    expect(() => hsmStep2(factors, `AAAAAAAAAAAAAAAA${INPUTS.d8}|BBBBBBBBBBBBBBBB${INPUTS.d8}|`)).toThrow(/prepared none/);
    expect(() => parseHsmStep1('639900|00|03|x|')).toThrow(expect.objectContaining({ code: 'HSM_BAD_VALUES' }));
    expect(() => parseHsmStep1(`639900|${CARD.atrHistorical}|02|${CARD_ID}|${INPUTS.internalR8}|${INPUTS.d8}|||`)).toThrow(
      expect.objectContaining({ code: 'ALGORITHM_UNSUPPORTED' }),
    );
  });
});

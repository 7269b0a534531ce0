import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { beginHsmPhotoRead } from '../../../src/cards/social-security/photo/hsm-photo-read.js';
import { jpegExtent } from '../../../src/cards/social-security/photo/jpeg-extent.js';
import { computeHsmStep2, formatHsmStep2, parseHsmStep1 } from '../../../src/keys/hsm/hsm-two-step.js';
import { fromHex } from '../../../src/core/hex.js';
import { profilesDir } from '../../../simulators/load-profile.js';
import { cardWith } from '../simulators/sim-helpers.js';
import { psamKeys, rejection, simSession, softKeys } from './pin/pin-helpers.js';

const photoOf = (id: string) => new Uint8Array(readFileSync(join(profilesDir(), 'photos', `${id}.jpg`)));
const readBinaries = (commands: string[]) => commands.filter((c) => c.startsWith('00B0'));

describe('photo read (EF08, card-spec §1)', () => {
  it('3.0 card, soft test keys: RKSSSE then short reads up to the JPEG end; exact bytes', async () => {
    const { session, wire } = simSession('v3-sm4');
    const photo = photoOf('v3-sm4');
    const r = await session.readPhoto({ keys: softKeys() });
    expect(r.status).toBe('read');
    if (r.status !== 'read') return;
    expect(Buffer.from(r.jpeg).equals(Buffer.from(photo))).toBe(true);
    expect(r.path).toBe('short');
    expect(r.authenticated).toBe(true);
    // auto: one extended attempt (6700 on this T=0 chip), then ceil(len / 256) short reads
    const reads = readBinaries(wire.commands);
    expect(reads[0]).toBe('00B0880000' + '1000');
    expect(reads).toHaveLength(1 + Math.ceil(photo.length / 256));
    expect(r.commands).toBe(reads.length);
    expect(reads[1]).toBe('00B0880000'); // first short read by SFI 8, Le = 00 (256)
    expect(reads[2]).toBe('00B0010000'); // then the current EF at offset 0x0100
    expect(wire.commands.some((c) => c.startsWith('0082000A'))).toBe(true); // EXTERNAL AUTHENTICATE RKSSSE
  });

  it('extendedLe never: no extended attempt; the last short read asks only what is left of the file, not past the JPEG', async () => {
    const { session, wire } = simSession('v3-sm4');
    const r = await session.readPhoto({ keys: softKeys(), extendedLe: 'never' });
    expect(r.status).toBe('read');
    expect(readBinaries(wire.commands)).toHaveLength(Math.ceil(photoOf('v3-sm4').length / 256));
  });

  it('a chip that takes extended Le (profile switch): one READ BINARY for the whole EF, trimmed at EOI', async () => {
    const { session, wire } = simSession('v2-long-name');
    const r = await session.readPhoto({ keys: softKeys() });
    expect(r).toMatchObject({ status: 'read', path: 'extended', commands: 1 });
    if (r.status === 'read') expect(Buffer.from(r.jpeg).equals(Buffer.from(photoOf('v2-long-name')))).toBe(true);
    expect(readBinaries(wire.commands)).toEqual(['00B08800001000']);
  });

  it('extendedLe always on a T=0 chip: the 6700 is a typed error, not a silent fallback', async () => {
    const { session } = simSession('v3-sm4');
    expect(await rejection(session.readPhoto({ keys: softKeys(), extendedLe: 'always' }))).toMatchObject({ code: 'WRONG_LENGTH' });
  });

  it('PSAM key source works the same', async () => {
    const { session } = simSession('v3-sm4');
    const r = await session.readPhoto({ keys: await psamKeys() });
    expect(r.status).toBe('read');
  });

  it('HSM two-step: step 1 factors -> HSM values -> step 2 reads EF08 and checks the card', async () => {
    const { session, wire } = simSession('v3-sm4');
    const step1 = await beginHsmPhotoRead(session);
    expect(wire.commands.at(-1)).toBe('0084000008'); // the challenge is the last thing the card saw
    const values = formatHsmStep2(await computeHsmStep2(parseHsmStep1(step1.text), softKeys()));
    const r = await step1.complete(values);
    expect(r).toMatchObject({ status: 'read', authenticated: true, genuine: 'genuine' });
    if (r.status === 'read') expect(Buffer.from(r.jpeg).equals(Buffer.from(photoOf('v3-sm4')))).toBe(true);
    await expect(step1.complete(values)).rejects.toMatchObject({ code: 'HSM_OPERATION_NOT_PREPARED' });
  });

  it('no keys: 6982 is NEEDS_AUTHENTICATION; nothing else is sent after it', async () => {
    const { session, wire } = simSession('v3-sm4');
    const e = await rejection(session.readPhoto());
    expect(e).toMatchObject({ code: 'NEEDS_AUTHENTICATION', sw: '6982' });
    // the T=0 chip refuses the extended length (6700) before it looks at access; the short read gets 6982
    expect(readBinaries(wire.commands)).toEqual(['00B08800001000', '00B0880000']);
    expect(wire.commands.at(-1)).toBe('00B0880000');
  });

  it('a card without a photo (EF08 all 00): absent after one short read', async () => {
    const { session, wire } = simSession('v1-empty-version');
    const r = await session.readPhoto({ keys: softKeys(), extendedLe: 'never' });
    expect(r).toMatchObject({ status: 'absent', commands: 1 });
    expect(readBinaries(wire.commands)).toHaveLength(1);
  });

  it('keys of another key set: EXTERNAL_AUTH_FAILED with tries left', async () => {
    const { session } = simSession('v3-sm4');
    const wrong = { externalAuth: async () => new Uint8Array(8) } as unknown as Parameters<typeof session.readPhoto>[0] extends infer O ? O extends { keys?: infer K } ? K : never : never;
    expect(await rejection(session.readPhoto({ keys: wrong }))).toMatchObject({ code: 'EXTERNAL_AUTH_FAILED', triesLeft: 2 });
  });
});

describe('photo read: bad card data is a typed error', () => {
  const withEf08 = (hex: string) => simSession('demo', { card: cardWith('demo', (p) => ({ ...p, transparent: { EF08: hex } })) as never });
  it('a JPEG start without an end marker in the whole file: BAD_CARD_DATA after reading all 4096 bytes', async () => {
    const { session, wire } = withEf08('FFD8FFDA0002' + 'AB'.repeat(3000));
    expect(await rejection(session.readPhoto({ keys: softKeys(), extendedLe: 'never' }))).toMatchObject({ code: 'BAD_CARD_DATA', message: expect.stringContaining('no end marker') });
    expect(readBinaries(wire.commands)).toHaveLength(16);
  });
  it('broken marker syntax: BAD_CARD_DATA after the first chunk', async () => {
    const { session, wire } = withEf08('FFD8FFE00000');
    expect(await rejection(session.readPhoto({ keys: softKeys(), extendedLe: 'never' }))).toMatchObject({ code: 'BAD_CARD_DATA', message: expect.stringContaining('marker syntax') });
    expect(readBinaries(wire.commands)).toHaveLength(1);
  });
});

describe('jpegExtent (ISO/IEC 10918-1 §B.1 marker walk)', () => {
  it('random bytes never throw (2,000 cases) and a complete length is within the input', () => {
    let seed = 42;
    const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
    for (let i = 0; i < 2000; i++) {
      const n = next() % 300;
      const bytes = Uint8Array.from({ length: n }, (_, k) => (k < 2 && i % 2 ? [0xff, 0xd8][k]! : next() & 0xff));
      const e = jpegExtent(bytes);
      if (e.status === 'complete') expect(e.length).toBeLessThanOrEqual(n);
    }
  });

  const app0 = 'FFE000104A46494600010100015E015E0000';
  it('finds EOI after stuffed FF00 and restart markers, ignoring padding after it', () => {
    const jpeg = fromHex(`FFD8${app0}FFDA0008010100003F00` + '12FF0034FFD056' + 'FFD9');
    expect(jpegExtent(Uint8Array.from([...jpeg, 0, 0, 0xff, 0xd9]))).toEqual({ status: 'complete', length: jpeg.length });
  });
  it('an EOI inside an EXIF thumbnail (APP1) is not the end', () => {
    const thumb = 'FFD8FFD9';
    const app1 = `FFE1${(2 + thumb.length / 2).toString(16).padStart(4, '0')}${thumb}`;
    const jpeg = fromHex(`FFD8${app1}FFDA0008010100003F00` + 'AABB' + 'FFD9');
    expect(jpegExtent(jpeg)).toEqual({ status: 'complete', length: jpeg.length });
    expect(jpegExtent(jpeg.subarray(0, 12))).toEqual({ status: 'incomplete' });
  });
  it('no SOI: not-jpeg; a zero segment length: malformed', () => {
    expect(jpegExtent(new Uint8Array(16))).toEqual({ status: 'not-jpeg' });
    expect(jpegExtent(fromHex('FFD8FFE00000'))).toMatchObject({ status: 'malformed', at: 2 });
    expect(jpegExtent(fromHex('FFD80102'))).toMatchObject({ status: 'malformed' });
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDaemonConfig } from '../../../src/daemon/daemon-config.js';
import { API_LEVEL } from '../../../src/daemon/protocol/api-level.js';
import { RpcSocket, startTestDaemon, type TestDaemon } from '../../support/daemon.js';
import { ROOT } from '../../support/cli.js';

const DESK = 'http://127.0.0.1:8131'; // a hospital desk page allowed to see photos
const PHARMACY = 'http://127.0.0.1:8132'; // a reader page without the photo grant
const COUNTER = 'http://127.0.0.1:8133';
const photo = readFileSync(join(ROOT, 'simulators', 'profiles', 'photos', 'v3-sm4.jpg'));
const base64 = photo.toString('base64');

/**
 * card.photo (docs/collect.md "Who gets the photo"): counter role or an allow-listed page with
 * `"photo": true`; the JPEG only in the reply to the requesting connection, never in events or logs.
 */
describe('daemon card.photo (real sockets, simulated 3.0 card)', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon(
      {
        allowedOrigins: [{ origin: DESK, photo: true }, PHARMACY, { origin: COUNTER, role: 'counter' }],
        simulated: { enabled: true, profiles: ['v3-sm4'] },
      },
      { pcsc: false },
    );
  });
  afterAll(() => d.stop());

  it('a desk page with the photo grant gets the exact JPEG as a data URL; hello lists the method for it', async () => {
    const s = await RpcSocket.open(d.port, { origin: DESK });
    const hello = await s.ok('hello', { minApiLevel: 1, maxApiLevel: API_LEVEL });
    expect(hello.role).toBe('reader');
    expect(hello.methods).toContain('card.photo');
    expect(hello.methods).not.toContain('pin.reset');
    const r = await s.ok('card.photo', {});
    expect(r.photo).toEqual({ mime: 'image/jpeg', dataUrl: `data:image/jpeg;base64,${base64}`, bytes: photo.length });
    expect(r.reader.simulated).toBe(true);
    s.close();
    // a page that speaks only level 1 does not get it (the method appeared at level 2)
    const old = await RpcSocket.open(d.port, { origin: DESK });
    expect((await old.ok('hello', { minApiLevel: 1, maxApiLevel: 1 })).methods).not.toContain('card.photo');
    expect(await old.code('card.photo', {})).toBe('METHOD_NOT_FOUND');
    old.close();
  });

  it('a reader page or the reader token without the grant: FORBIDDEN before the card is touched; the counter role may', async () => {
    const pharmacy = await RpcSocket.ready(d.port, { origin: PHARMACY });
    expect(await pharmacy.code('card.photo', {})).toBe('FORBIDDEN');
    expect((await pharmacy.ok('hello', { minApiLevel: 1, maxApiLevel: API_LEVEL })).methods).not.toContain('card.photo');
    pharmacy.close();
    const token = await RpcSocket.ready(d.port, { token: d.readerToken });
    expect(await token.code('card.photo', {})).toBe('FORBIDDEN');
    token.close();
    const counter = await RpcSocket.ready(d.port, { origin: COUNTER });
    expect((await counter.ok('card.photo', {})).photo.bytes).toBe(photo.length);
    counter.close();
  });

  it('only the requesting connection gets it: a subscribed bystander sees no photo, and the log has none', async () => {
    const bystander = await RpcSocket.ready(d.port, { token: d.counterToken });
    await bystander.ok('events.subscribe', {});
    const desk = await RpcSocket.ready(d.port, { origin: DESK });
    await desk.ok('events.subscribe', {});
    await desk.ok('card.photo', {});
    await desk.ok('card.read', {});
    const everything = JSON.stringify([bystander.events, bystander.replies, desk.events]);
    expect(everything).not.toContain(base64.slice(0, 64));
    expect(d.logs.text).toMatch(/"method":"card.photo"/);
    expect(d.logs.text).not.toContain(base64.slice(0, 64));
    expect(d.logs.text).not.toContain('data:image');
    bystander.close();
    desk.close();
  });

  it('bad params (unknown key, empty reader) are INVALID_PARAMS; an unknown reader is READER_NOT_FOUND', async () => {
    const s = await RpcSocket.ready(d.port, { origin: DESK });
    expect(await s.code('card.photo', { reader: '' })).toBe('INVALID_PARAMS');
    expect(await s.code('card.photo', { format: 'png' })).toBe('INVALID_PARAMS');
    expect(await s.code('card.photo', { reader: 'no such reader' })).toBe('READER_NOT_FOUND');
    s.close();
  });

  it('config: "photo" must be a boolean on an object entry', () => {
    expect(parseDaemonConfig({ allowedOrigins: [{ origin: DESK, photo: true }] }).allowedOrigins[0]).toEqual({ origin: DESK, role: 'reader', photo: true });
    expect(parseDaemonConfig({ allowedOrigins: [DESK] }).allowedOrigins[0]).toEqual({ origin: DESK, role: 'reader', photo: false });
    expect(() => parseDaemonConfig({ allowedOrigins: [{ origin: DESK, photo: 'yes' }] })).toThrow();
  });
});

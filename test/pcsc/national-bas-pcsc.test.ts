import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { installationKeyPath } from '../../src/compose/installation-key-file.js';
import { initInstallationKey } from '../../src/keys/installation/installation-key.js';
import { NonceBook, verifyAttestedRead } from '../../src/service/attestation/verify-attestation.js';
import { createSimulatedCard } from '../../simulators/create-card.js';
import { createSimulatedPsam } from '../../simulators/create-psam.js';
import { VpcdClient } from '../../simulators/vpcd-client.js';
import { CLI } from '../support/cli.js';
import { RpcSocket, spawnDaemon, type DaemonChild } from '../support/daemon.js';
import { READER_0, READER_1, ensurePcscd, run, sleep } from '../support/pcscd.js';

const available = await ensurePcscd();
const ID0 = `pcsc:${READER_0}`;
/** Bridge ports inside this test's own network namespace (scripts/ns-run.sh); not the ones the browser test uses. */
const TH_PORT = 18321;
const DECARD_PORT = 50150;

/**
 * The national iReadCardBas result through real pcscd + vpcd (the simulator as the card): the CLI
 * (`read --format bas`) and the daemon (`card.readBas`); strings written from
 * docs/national-interface.md and the profile JSON.
 */
describe.skipIf(!available.available)(`national interface and verifiable reads through pcscd + vpcd (${available.reason})`, () => {
  let d: DaemonChild;
  let reader: RpcSocket;
  const cards: VpcdClient[] = [];
  const sscard = (...args: string[]) => run(process.execPath, [CLI, ...args], 60_000);
  const present = async (id: string) =>
    ((await reader.ok('readers.list')).readers as { id: string; cardPresent: boolean }[]).some((r) => r.id === id && r.cardPresent);

  async function insert(card: ReturnType<typeof createSimulatedCard> | ReturnType<typeof createSimulatedPsam>, slot: 0 | 1): Promise<void> {
    const c = new VpcdClient(card, { slot });
    cards.push(c);
    await c.insert();
    const deadline = Date.now() + 5000;
    while (!(await present(slot === 0 ? ID0 : `pcsc:${READER_1}`))) {
      if (Date.now() > deadline) throw new Error('card not seen');
      await sleep(50);
    }
  }

  beforeAll(async () => {
    d = await spawnDaemon({ national: { deviceNumber: '00000000000000000001' }, bridges: { thCardReader: { enabled: true, port: TH_PORT }, decard: { enabled: true, port: DECARD_PORT } } });
    reader = await RpcSocket.ready(d.port, { token: d.readerToken });
  });
  afterEach(async () => {
    await Promise.all(cards.splice(0).map((c) => c.remove()));
    const deadline = Date.now() + 5000;
    while ((await present(ID0)) || (await present(`pcsc:${READER_1}`))) {
      if (Date.now() > deadline) throw new Error('cards not removed');
      await sleep(50);
    }
  });
  afterAll(async () => {
    reader?.close();
    expect(await d?.proc.stop()).toBe(0);
  });

  it('CLI and daemon give the 11-field string of the docs example card', async () => {
    await insert(createSimulatedCard('v1-zhang-san'), 0);
    const r = await sscard('read', '--reader', READER_0, '--format', 'bas', '--wait', '0');
    expect(r.stdout).toBe('639900|111111198101011110|X00000019|639900D15600000500BF7C7A48FB4966|张三|00814E43238697159900BF7C7A|1.00|20101001|20201001|000000000000||\n');
    const rpc = await reader.ok('card.readBas', { reader: ID0, iType: 1 });
    expect(rpc).toMatchObject({
      code: 0,
      text: '639900|111111198101011110|X00000019|639900D15600000500BF7C7A48FB4966|张三|00814E43238697159900BF7C7A|1.00|20101001|20201001|000000000000|00000000000000000001|',
    });
  });

  it('both bridges answer the same string through pcscd (token of a local program)', async () => {
    await insert(createSimulatedCard('v2-long-name'), 0);
    const expected = '650100|65010219850612105X|B23456780|650100D156000005234567890A1B2C3D|艾合买提江·阿不都热合曼·吐尔逊托合提|00814E43238697650123456789|2.00|20180420|20280420|000000000000|00000000000000000001|';
    const th = await fetch(`http://127.0.0.1:${TH_PORT}/readcard/entry?param=sicard`, { headers: { authorization: `Bearer ${d.readerToken}` } });
    expect(await th.json()).toMatchObject({ code: 200, data: expected });
    const ws = new WebSocket(`ws://127.0.0.1:${DECARD_PORT}/`, { headers: { authorization: `Bearer ${d.readerToken}` } });
    await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
    const reply = await new Promise<unknown>((r) => (ws.once('message', (m) => r(JSON.parse(m.toString()))), ws.send(JSON.stringify({ func: 'iReadCardBas', in: ['1'] }))));
    ws.close();
    expect(reply).toEqual({ result: '0', out: [expected] });
  });

  it('a verifiable read through pcscd: read --nonce signs, the verifier accepts it once', async () => {
    await insert(createSimulatedCard('demo'), 0);
    const dir = mkdtempSync(join(tmpdir(), 'sscard-attest-pcsc-'));
    const publicKey = initInstallationKey(installationKeyPath(dir)).publicKey;
    const book = new NonceBook();
    const nonce = book.issue();
    const r = await new Promise<{ code: number; stdout: string }>((done) =>
      execFile(process.execPath, [CLI, 'read', '--reader', READER_0, '--wait', '0', '--nonce', nonce], { env: { ...process.env, SSCARD_DATA_DIR: dir, SSCARD_CONFIG: '' }, encoding: 'utf8' }, (e, stdout) =>
        done({ code: e ? 1 : 0, stdout }),
      ),
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.attestation.reader.name).toBe(READER_0);
    expect(verifyAttestedRead(doc, { publicKey, nonce, consumeNonce: (n) => book.consume(n) })).toMatchObject({ ok: true });
    expect(verifyAttestedRead(doc, { publicKey, nonce, consumeNonce: (n) => book.consume(n) })).toEqual({ ok: false, reason: 'NONCE_REPLAYED' });
  });

  it('no card -2, wrong card type -1 (a PSAM in the slot), on both faces', async () => {
    const none = await reader.ok('card.readBas', { reader: ID0 });
    expect(none).toMatchObject({ code: -2, text: null });
    const cli = await sscard('read', '--reader', READER_0, '--format', 'bas', '--wait', '0');
    expect(cli.code).toBe(3);
    expect(cli.stderr).toMatch(/^-2 /m);
    await insert(createSimulatedPsam(), 0);
    expect(await reader.ok('card.readBas', { reader: ID0 })).toMatchObject({ code: -1 });
    expect((await sscard('read', '--reader', READER_0, '--format', 'bas-json', '--wait', '0')).stdout).toMatch(/"code": -1/);
  });
});

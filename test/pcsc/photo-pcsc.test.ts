import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { profilesDir } from '../../simulators/load-profile.js';
import { PcscReaderSource } from '../../src/transport/pcsc/pcsc-reader-source.js';
import { CLI } from '../support/cli.js';
import { CliProcess, serveCard } from '../support/cli-process.js';
import { READER_0, READER_1, ensurePcscd, waitFor } from '../support/pcscd.js';

const available = await ensurePcscd();

/** The CLI with stdout kept as bytes (`--photo -` writes the JPEG there). */
function sscard(...args: string[]): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
  });
}

const photoOf = (id: string) => readFileSync(join(profilesDir(), 'photos', `${id}.jpg`));
const readBinaryLines = (traffic: string) => traffic.split('\n').filter((l) => l.startsWith('=> 00B0'));

/** Issue: the holder's photo (EF08) through real pcscd + vpcd, the simulator as the card. */
describe.skipIf(!available.available)(`sscard read --photo through pcscd + vpcd (${available.reason})`, () => {
  const source = new PcscReaderSource();
  const children: CliProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'sscard-photo-pcsc-'));
  const cardIn = (reader: string) => source.monitor.readers().some((r) => r.reader.name === reader && r.cardPresent);

  async function serve(profile: string): Promise<void> {
    children.push(await serveCard(profile, 0));
    await waitFor(() => cardIn(READER_0), 5000, 'card seen by pcscd');
  }

  beforeAll(() => source.monitor.start());
  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => c.stop()));
    await waitFor(() => !cardIn(READER_0) && !cardIn(READER_1), 5000, 'cards removed');
  });
  afterAll(() => source.stop());

  it('3.0 card with the test keys: --photo FILE writes the profile\'s exact JPEG (T=0 chip: short reads up to the JPEG end)', async () => {
    await serve('v3-sm4');
    const file = join(dir, 'v3.jpg');
    const r = await sscard('read', '--reader', READER_0, '--photo', file, '--keys', 'soft', '--allow-test-keys', '--traffic');
    expect(r.code).toBe(0);
    expect(readFileSync(file).equals(photoOf('v3-sm4'))).toBe(true);
    const reads = readBinaryLines(r.stderr);
    expect(reads[0]).toBe('=> 00B08800001000'); // the extended attempt, refused with 6700 by this chip
    expect(reads).toHaveLength(1 + Math.ceil(photoOf('v3-sm4').length / 256));
    expect(r.stdout.length).toBe(0);
  });

  it('--photo - writes the JPEG to stdout and nothing else', async () => {
    await serve('v3-sm4');
    const r = await sscard('read', '--reader', READER_0, '--photo', '-', '--keys', 'soft', '--allow-test-keys');
    expect(r.code).toBe(0);
    expect(r.stdout.equals(photoOf('v3-sm4'))).toBe(true);
  });

  it('a chip that takes extended Le: one READ BINARY through pcscd for the whole EF08', async () => {
    await serve('v2-long-name');
    const file = join(dir, 'v2.jpg');
    const r = await sscard('read', '--reader', READER_0, '--photo', file, '--keys', 'soft', '--allow-test-keys', '--traffic');
    expect(r.code).toBe(0);
    expect(readFileSync(file).equals(photoOf('v2-long-name'))).toBe(true);
    expect(readBinaryLines(r.stderr)).toEqual(['=> 00B08800001000']);
  });

  it('without keys: refused cleanly (NEEDS_AUTHENTICATION, exit 1), no file written', async () => {
    await serve('v3-sm4');
    const file = join(dir, 'none.jpg');
    const r = await sscard('read', '--reader', READER_0, '--photo', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^sscard: NEEDS_AUTHENTICATION: EF08 \(photo\) needs EXTERNAL AUTHENTICATE/m);
    expect(existsSync(file)).toBe(false);
    expect(r.stdout.length).toBe(0);
  });
});

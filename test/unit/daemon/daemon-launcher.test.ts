import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CliProcess } from '../../support/cli-process.js';
import { LAUNCHER, ROOT } from '../../support/cli.js';

/** The daemon's memory settings (docs/performance.md, "Memory: where the RSS goes"), as bin/sscard sets them. */
const DAEMON_NODE_FLAGS = ['--max-semi-space-size=1', '--initial-old-space-size=16', '--max-old-space-size=512', '--no-concurrent-recompilation'];
const RECORD_LOADS = join(ROOT, 'test', 'support', 'record-loads.mjs');
/** Operation modules loaded on first call (src/service/operations/card-operations.ts), and what only they import. */
const LAZY = ['service/operations/read-financial.js', 'service/operations/read-photo.js', 'service/operations/read-applications.js', 'service/operations/read-card-bas.js', 'service/operations/read-card-bas-hsm.js', 'service/operations/block-card.js', 'service/operations/exchange-apdus.js', 'service/operations/national-pin.js', 'service/operations/pin-verify.js', 'service/operations/pin-change.js', 'service/operations/pin-reset.js', 'service/operations/pin-unblock.js', 'service/operations/pin-status.js', 'cards/pboc/pboc-session.js'];

function environOf(pid: number): Record<string, string> {
  const pairs = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
}

describe('bin/sscard, the launcher of every face (package, units, service install, npm start, bench)', () => {
  let daemon: CliProcess | undefined;
  afterEach(async () => {
    await daemon?.stop();
    daemon = undefined;
  });

  async function startDaemon(env: NodeJS.ProcessEnv): Promise<number> {
    const dir = mkdtempSync(join(tmpdir(), 'sscard-launcher-'));
    writeFileSync(join(dir, 'daemon.json'), JSON.stringify({ port: 0, logLevel: 'warn', simulated: { enabled: true, profiles: ['demo'] } }));
    daemon = new CliProcess(['daemon', '--config', join(dir, 'daemon.json')], { SSCARD_DATA_DIR: dir, SSCARD_NO_PCSC: '1', SSCARD_NODE: process.execPath, ...env }, [LAUNCHER]);
    await daemon.waitForLine(/^sscard daemon listening on ws:\/\/127\.0\.0\.1:\d+\//, 20_000);
    return daemon.proc.pid!;
  }

  it('starts the daemon as node with the memory flags, then SSCARD_NODE_ARGS, and the malloc settings', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'sscard-loads-')), 'loads');
    const env: NodeJS.ProcessEnv = { SSCARD_NODE_ARGS: `--import ${RECORD_LOADS}`, SSCARD_TEST_LOAD_LOG: log };
    for (const k of ['MALLOC_ARENA_MAX', 'MALLOC_TRIM_THRESHOLD_', 'MALLOC_MMAP_THRESHOLD_']) env[k] = undefined;
    const pid = await startDaemon(env);
    // the launcher execs node: the child's pid is the daemon's
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    expect(argv[0]).toBe(process.execPath);
    expect(argv.slice(1, 1 + DAEMON_NODE_FLAGS.length)).toEqual(DAEMON_NODE_FLAGS);
    expect(argv.slice(1 + DAEMON_NODE_FLAGS.length)).toEqual(['--import', RECORD_LOADS, join(ROOT, 'dist', 'src', 'cli', 'main.js'), 'daemon', '--config', expect.stringMatching(/daemon\.json$/)]);
    expect(environOf(pid)).toMatchObject({ MALLOC_ARENA_MAX: '1', MALLOC_TRIM_THRESHOLD_: '131072', MALLOC_MMAP_THRESHOLD_: '131072' });

    // lazy operations: the daemon started (and composed its operations) without loading them
    const loaded = readFileSync(log, 'utf8');
    expect(loaded).toContain('/dist/src/service/operations/card-operations.js');
    expect(loaded).toContain('/dist/src/service/operations/read-card.js');
    for (const m of LAZY) expect(loaded, m).not.toContain(`/dist/src/${m}`);
  });

  it('keeps malloc settings the operator set', async () => {
    const pid = await startDaemon({ MALLOC_ARENA_MAX: '2' });
    expect(environOf(pid)).toMatchObject({ MALLOC_ARENA_MAX: '2', MALLOC_TRIM_THRESHOLD_: '131072' });
  });

  it('other commands run with node defaults', () => {
    // SSCARD_NODE=echo shows the command line the launcher would run
    const r = spawnSync(LAUNCHER, ['read', '--sim'], { env: { ...process.env, SSCARD_NODE: 'echo', SSCARD_NODE_ARGS: '' }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(`${join(ROOT, 'dist', 'src', 'cli', 'main.js')} read --sim`);
  });
});

import { spawn } from 'node:child_process';
import { closeSync, existsSync, fstatSync, mkdtempSync, openSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDaemonConfig } from '../../../src/daemon/daemon-config.js';
import { journalLine } from '../../../src/daemon/log/journal-stream.js';
import { createServiceLogger } from '../../../src/daemon/log/service-logger.js';
import { CLI } from '../../support/cli.js';
import { CliProcess } from '../../support/cli-process.js';
import { RpcSocket } from '../../support/daemon.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('daemon logs: file with size rotation, journald lines, runtime debug switch', () => {
  it('bad input: logFile settings are validated (size format, keep range, unknown keys)', () => {
    expect(parseDaemonConfig({}).logFile).toEqual({ enabled: true, maxSize: '10M', keep: 5 });
    for (const [logFile, path] of [
      [{ maxSize: '10 MB' }, 'logFile.maxSize'],
      [{ maxSize: '0M' }, 'logFile.maxSize'],
      [{ keep: 0 }, 'logFile.keep'],
      [{ keep: 1000 }, 'logFile.keep'],
      [{ rotate: 'daily' }, 'logFile'],
    ] as const) {
      expect(() => parseDaemonConfig({ logFile }), JSON.stringify(logFile)).toThrow(expect.objectContaining({ code: 'BAD_CONFIG', message: expect.stringContaining(path) }));
    }
  });

  it('journald lines carry the syslog priority and drop what journald stamps itself', () => {
    const line = JSON.stringify({ level: 40, time: 1, pid: 2, hostname: 'h', svc: 'sscard-daemon', msg: 'reader gone', reader: 'pcsc:X' });
    expect(journalLine(line)).toBe('<4>reader gone {"reader":"pcsc:X"}\n');
    expect(journalLine(JSON.stringify({ level: 30, msg: 'up' }))).toBe('<6>up\n');
    expect(journalLine(JSON.stringify({ level: 20, msg: 'd' }))).toBe('<7>d\n');
    expect(journalLine(JSON.stringify({ level: 50, msg: 'e' }))).toBe('<3>e\n');
    expect(journalLine('not json')).toBe('<6>not json\n');
  });

  it('rotates by size, keeps N files (0600), filters by level, toggles debug, redacts personal data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sscard-log-'));
    const stderr: string[] = [];
    const s = createServiceLogger({ level: 'info', file: { dir, maxSize: '1K', keep: 2 }, env: {}, stderr: { write: (x: string) => stderr.push(x) } });
    expect(s.file).toBe(join(dir, 'daemon.log'));
    expect(s.stderrFormat).toBe('json');
    s.log.debug({ n: -1 }, 'hidden at info');
    // Personal data a careless call site might pass: redacted at every level.
    s.log.info({ params: { pin: '123456' }, holder: { name: '王小明', ssn: '110105199003071036' }, data: { cardNumber: 'A12345674' } }, 'careless');
    expect(s.toggleDebug()).toBe('debug');
    s.log.debug({ n: 0 }, 'visible at debug');
    expect(s.toggleDebug()).toBe('info');
    for (let i = 1; i <= 60; i++) {
      s.log.info({ n: i, reader: 'pcsc:Virtual PCD 00 00' }, 'line of about one hundred bytes to fill the file');
      await sleep(1); // let the rotating stream rotate between writes
    }
    await s.close();
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['daemon.log', 'daemon.log.1', 'daemon.log.2']);
    for (const f of files) {
      expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(1024 + 200);
    }
    const all = [...files].reverse().map((f) => readFileSync(join(dir, f), 'utf8')).join('') + stderr.join('');
    for (const secret of ['123456', '王小明', '110105199003071036', 'A12345674']) expect(all).not.toContain(secret);
    const newest = files.map((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean)).find((l) => l.length > 0)!;
    expect(JSON.parse(newest.at(-1)!)).toMatchObject({ n: 60, msg: 'line of about one hundred bytes to fill the file', level: 30 });
    // stderr got every line too (JSON when not under systemd); the debug line only while debug was on.
    const err = stderr.join('').trim().split('\n').map((l) => JSON.parse(l));
    expect(err.map((e) => e.msg)).toContain('visible at debug');
    expect(err.map((e) => e.msg)).not.toContain('hidden at info');
    expect(err.filter((e) => e.n !== undefined && e.n > 0)).toHaveLength(60);
  });

  it('under systemd ($JOURNAL_STREAM names our stderr): stderr carries journald lines with priorities; the file stays JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sscard-journal-'));
    const errFile = join(dir, 'stderr');
    const fd = openSync(errFile, 'w');
    const st = fstatSync(fd);
    writeFileSync(join(dir, 'daemon.json'), JSON.stringify({ port: 0 }));
    const child = spawn(process.execPath, [CLI, 'daemon', '--sim', '--config', join(dir, 'daemon.json')], {
      env: { ...process.env, SSCARD_DATA_DIR: dir, SSCARD_STATE_DIR: join(dir, 'state'), SSCARD_NO_PCSC: '1', JOURNAL_STREAM: `${st.dev}:${st.ino}` },
      stdio: ['ignore', 'ignore', fd],
    });
    try {
      await until(() => readFileSync(errFile, 'utf8').includes('daemon listening'), 20_000, 'listening line on stderr');
      const first = readFileSync(errFile, 'utf8').split('\n').find((l) => l.includes('daemon listening'))!;
      expect(first).toMatch(/^<6>daemon listening \{"listening":\["127\.0\.0\.1:\d+"/);
      const fileLine = readFileSync(join(dir, 'state', 'daemon.log'), 'utf8').split('\n').find((l) => l.includes('daemon listening'))!;
      expect(JSON.parse(fileLine)).toMatchObject({ level: 30, msg: 'daemon listening' });
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      closeSync(fd);
    }
  });

  it('sscard daemon: --log-level, the log file in $SSCARD_STATE_DIR, SIGUSR2 switches to debug without a restart, no personal data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sscard-logd-data-'));
    const state = mkdtempSync(join(tmpdir(), 'sscard-logd-state-'));
    writeFileSync(join(dataDir, 'daemon.json'), JSON.stringify({ port: 0 }));
    const proc = new CliProcess(['daemon', '--sim', '--log-level', 'info', '--config', join(dataDir, 'daemon.json')], { SSCARD_DATA_DIR: dataDir, SSCARD_STATE_DIR: state, SSCARD_NO_PCSC: '1' });
    try {
      const line = await proc.waitForLine(/^sscard daemon listening on ws:\/\/127\.0\.0\.1:(\d+)\//, 20_000);
      const port = Number(/127\.0\.0\.1:(\d+)/.exec(line)![1]);
      await proc.waitForLine(/^log: /);
      expect(proc.lines.find((l) => l.startsWith('log: '))).toBe(`log: ${join(state, 'daemon.log')} (level info; SIGUSR2 toggles debug)`);
      const file = join(state, 'daemon.log');
      const token = readFileSync(join(dataDir, 'daemon-token'), 'utf8').trim();
      const s = await RpcSocket.ready(port, { token });
      await s.ok('card.read', {});
      const text = () => (existsSync(file) ? readFileSync(file, 'utf8') : '');
      await until(() => text().includes('"daemon listening"'), 5000, 'listening line in the file');
      const before = text().split('\n').filter(Boolean).map((l) => JSON.parse(l));
      expect(before.every((r) => r.level >= 30)).toBe(true);

      proc.proc.kill('SIGUSR2');
      await until(() => text().includes('log level now debug'), 5000, 'level switch logged');
      await s.ok('card.read', {});
      await until(() => text().split('\n').filter(Boolean).some((l) => JSON.parse(l).level === 20), 5000, 'a debug line');
      s.close();
      const all = text() + proc.errLines.join('\n');
      for (const secret of ['王小明', '110105199003071036', 'A12345674', token]) expect(all).not.toContain(secret);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(state).mode & 0o777).toBe(0o700);
    } finally {
      await proc.stop();
    }
  });
});

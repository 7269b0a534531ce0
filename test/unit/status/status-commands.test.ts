import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerStatusCommands } from '../../../src/cli/commands/status-commands.js';
import { CliError } from '../../../src/cli/cli-error.js';
import { exitCodeFor } from '../../../src/cli/exit-codes.js';
import { StatusError } from '../../../src/status/status-error.js';
import { SUZHOU_CARD, tempDataDir } from './status-helpers.js';

let dir: string;
let cleanup: () => void;
const saved = { ...process.env };
beforeEach(() => {
  ({ dir, cleanup } = tempDataDir());
  for (const k of Object.keys(process.env)) if (k.startsWith('SSCARD_')) delete process.env[k];
  Object.assign(process.env, { SSCARD_DATA_DIR: dir, SSCARD_NOW: '2026-12-01T09:00:00+08:00', SSCARD_SITE: '320500-12333', SSCARD_OPERATOR: 'hotline-07' });
});
afterEach(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith('SSCARD_')) delete process.env[k];
  for (const [k, v] of Object.entries(saved)) if (k.startsWith('SSCARD_')) process.env[k] = v;
  cleanup();
  vi.restoreAllMocks();
});

const CARD = ['--card', SUZHOU_CARD.cardIdentificationCode, '--card-number', SUZHOU_CARD.cardNumber];

/** Runs `sscard <args>` in process; returns stdout, or throws what the command threw. */
async function sscard(...args: string[]): Promise<string> {
  const program = new Command('sscard').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerStatusCommands(program);
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  try {
    await program.parseAsync(['node', 'sscard', ...args]);
  } finally {
    vi.restoreAllMocks();
  }
  return out;
}

describe('sscard lock / release / status / replace-requested / cancel / audit', () => {
  it('a phone report, then a status check a week later, human and JSON', async () => {
    const locked = await sscard('lock', '--temporary', ...CARD, '--reason', 'lost on the bus');
    expect(locked).toContain('TEMPORARILY LOCKED');
    expect(locked).toContain('until 2026-12-08 09:00:00 +08:00');
    const json = JSON.parse(await sscard('status', ...CARD, '--json'));
    expect(json).toMatchObject({ kind: 'temporarily-locked', until: '2026-12-08T01:00:00.000Z', site: '320500-12333', reason: 'lost on the bus' });
    process.env.SSCARD_NOW = '2026-12-08T09:01:00+08:00';
    const later = await sscard('status', ...CARD);
    expect(later).toMatch(/status\s+normal/);
    expect(later).toContain('ended automatically at 2026-12-08 09:00:00 +08:00');
  });

  it('formal lock, refusal elsewhere explains the rule, replacement, then release is refused for good', async () => {
    await sscard('lock', '--formal', ...CARD, '--site', '320508-gusu-service-point', '--operator', 'zhang.wei');
    const e = await sscard('release', ...CARD, '--site', '320583-icbc-kunshan').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StatusError);
    expect(e).toMatchObject({ code: 'RELEASE_AT_OTHER_SITE' });
    expect((e as Error).message).toMatch(/Rule: a formal report can be released only where it was made/);
    expect(exitCodeFor(e as StatusError)).toBe(1);
    expect(await sscard('replace-requested', ...CARD, '--site', '320508-gusu-service-point')).toContain('REPLACEMENT REQUESTED');
    await expect(sscard('release', ...CARD, '--site', '320508-gusu-service-point')).rejects.toMatchObject({ code: 'REPLACEMENT_REQUESTED' });
    expect(await sscard('cancel', ...CARD, '--reason', 'holder deceased')).toContain('CANCELLED');
  });

  it('audit lists the trail, filters by card and --since, and prints JSON', async () => {
    await sscard('lock', '--temporary', ...CARD);
    process.env.SSCARD_NOW = '2026-12-02T10:00:00+08:00';
    await sscard('release', ...CARD, '--site', '320583-icbc-kunshan', '--operator', 'li.na');
    const table = await sscard('audit');
    expect(table.split('\n')[0]).toMatch(/^ID\s+AT \(UTC\+8\)\s+ACTION/);
    expect(table).toContain('lock-temporary');
    expect(table).toContain('320583-icbc-kunshan');
    const json = JSON.parse(await sscard('audit', '--since', '2026-12-02T00:00:00+08:00', '--card', SUZHOU_CARD.cardIdentificationCode, '--json'));
    expect(json).toEqual([expect.objectContaining({ action: 'release', operator: 'li.na', at: '2026-12-02T02:00:00.000Z' })]);
  });

  it('bad input is a usage error (CliError, exit code 2) with a clear message', async () => {
    const cases: [string[], RegExp][] = [
      [['lock', '--temporary', '--card', 'ABC', '--card-number', SUZHOU_CARD.cardNumber], /BAD_CARD_IDENTITY: card identification code must be 32 hex/],
      [['lock', '--temporary', '--card', SUZHOU_CARD.cardIdentificationCode, '--card-number', '12'], /BAD_CARD_IDENTITY: card number must be 9 characters/],
      [['lock', ...CARD], /exactly one of --temporary or --formal/],
      [['lock', '--temporary', '--formal', ...CARD], /exactly one of --temporary or --formal/],
      [['lock', '--temporary', ...CARD, '--site', 'counter'], /BAD_SITE/],
      [['audit', '--since', 'last week'], /BAD_TIME/],
      [['status'], /--card/],
    ];
    for (const [args, message] of cases) {
      const e = await sscard(...args).catch((x: unknown) => x);
      expect(e, args.join(' ')).toBeInstanceOf(CliError);
      expect((e as Error).message).toMatch(message);
      expect(exitCodeFor(e as CliError)).toBe(2);
    }
    process.env.SSCARD_NOW = 'tomorrow';
    await expect(sscard('status', ...CARD)).rejects.toThrow(/BAD_TIME/);
    delete process.env.SSCARD_NOW;
    delete process.env.SSCARD_SITE;
    await expect(sscard('lock', '--temporary', ...CARD)).rejects.toThrow(/MISSING_CONTEXT: no site/);
  });

  it('site and operator come from the config file; a bad config file is a usage error', async () => {
    delete process.env.SSCARD_SITE;
    delete process.env.SSCARD_OPERATOR;
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ site: '320508-gusu-service-point', operator: 'zhang.wei' }));
    expect(JSON.parse(await sscard('lock', '--formal', ...CARD, '--json'))).toMatchObject({ site: '320508-gusu-service-point', operator: 'zhang.wei' });
    writeFileSync(join(dir, 'config.json'), '{"lockDays": {"default": "seven"}}');
    const e = await sscard('status', ...CARD).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CliError);
    expect((e as Error).message).toMatch(/BAD_CONFIG: config file .* is invalid: lockDays\.default/);
  });

  it('status --ssn lists the holder\'s cards', async () => {
    await sscard('lock', '--temporary', ...CARD, '--ssn', '11010519491231002x');
    const list = JSON.parse(await sscard('status', '--ssn', '11010519491231002X', '--json'));
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ kind: 'temporarily-locked', ssn: '11010519491231002X' });
  });
});

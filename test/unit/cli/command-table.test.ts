import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, registerCommands } from '../../../src/cli/command-table.js';

const CLI = join(import.meta.dirname, '..', '..', '..', 'dist', 'src', 'cli', 'main.js');

describe('CLI command table (lazy command loading)', () => {
  it('each entry names exactly the top-level commands its registrar registers', async () => {
    for (const entry of COMMANDS) {
      const program = new Command('sscard');
      (await entry.load())(program);
      expect(program.commands.map((c) => c.name())).toEqual(entry.names);
    }
  });

  it('a known command registers that entry alone; anything else registers every command', async () => {
    const one = new Command('sscard');
    await registerCommands(one, ['node', 'sscard', 'daemon', '--port', '1']);
    expect(one.commands.map((c) => c.name())).toEqual(['daemon']);
    for (const argv of [['node', 'sscard'], ['node', 'sscard', '--help'], ['node', 'sscard', 'deamon']]) {
      const all = new Command('sscard');
      await registerCommands(all, argv);
      expect(all.commands.map((c) => c.name())).toEqual(COMMANDS.flatMap((e) => e.names));
    }
  });

  it('`sscard --help` still lists every command and a misspelling still gets a suggestion', () => {
    const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    for (const name of COMMANDS.flatMap((e) => e.names)) expect(help.stdout).toMatch(new RegExp(`^\\s+${name}\\b`, 'm'));
    const typo = spawnSync(process.execPath, [CLI, 'deamon'], { encoding: 'utf8' });
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('daemon');
  });

  it('`sscard daemon` does not load the certificate code or pg at start', () => {
    // The daemon command's module graph, imported the way main.ts does it, then the loaded CJS packages listed.
    const probe = `const t = await import(${JSON.stringify(join(import.meta.dirname, '..', '..', '..', 'dist', 'src', 'cli', 'command-table.js'))});
      const { Command } = await import('commander');
      await t.registerCommands(new Command('sscard'), ['node', 'sscard', 'daemon']);
      const { createRequire } = await import('node:module');
      const cache = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify(cache.filter((f) => /node_modules\\/(pg|@peculiar|reflect-metadata|tsyringe|exceljs|sharp)\\//.test(f))));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSpecDir, loadSpecs } from '../../../src/specs/load-specs.js';
import { SpecError } from '../../../src/specs/spec-error.js';

function copySpecs(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sscard-specs-'));
  cpSync(findSpecDir(), dir, { recursive: true });
  return dir;
}

function mutate(file: string, edit: (json: any) => void): string {
  const dir = copySpecs();
  const path = join(dir, file);
  const json = JSON.parse(readFileSync(path, 'utf8'));
  edit(json);
  writeFileSync(path, JSON.stringify(json));
  return dir;
}

describe('spec tables', () => {
  it('load and carry the SSSE facts of docs/reference/card-spec.md §1-§2', () => {
    const s = loadSpecs();
    expect(s.ssse.application.dfName).toBe('7378312E73682EC9E7BBE1B1A3D5CF');
    const ef05 = s.ssse.files.find((f) => f.id === 'EF05')!;
    // 00B2010540: all of EF05 is 0x40 bytes of simple-TLV (docs/reference/card-spec.md §2)
    expect(ef05.records.reduce((n, r) => n + 2 + r.length, 0)).toBe(0x40);
    expect(s.ethnicGroups.find((g) => g.code === '01')?.name).toBe('汉族');
    expect(s.ethnicGroups).toHaveLength(58);
  });
  it.each([
    ['ssse.json', (j: any) => (j.files[1].records[2].length = 'x'), /ssse\.json: files\[1\]\.records\[2\]\.length: /],
    ['ssse.json', (j: any) => (j.files[0].records[1].tag = '01'), /files\[0\]\.records\[1\]\.tag: duplicate tag 01/],
    ['ssse.json', (j: any) => (j.files[0].sfi = 31), /files\[0\]\.sfi/],
    ['status-words.json', (j: any) => (j.entries[0].sw = '90'), /status-words\.json: entries\[0\]\.sw: must be 4 hex digits/],
    ['ethnic-groups.json', (j: any) => (j.groups[3].code = '4'), /ethnic-groups\.json: groups\[3\]\.code/],
    ['atr.json', (j: any) => delete j.patterns[0].prefix, /atr\.json: patterns\[0\]\.prefix/],
  ])('a bad %s fails at load naming file and entry (%#)', (file, edit, msg) => {
    const dir = mutate(file, edit);
    expect(() => loadSpecs(dir)).toThrow(SpecError);
    expect(() => loadSpecs(dir)).toThrow(msg);
  });
  it('a missing spec file is SPEC_MISSING naming the file', () => {
    const dir = copySpecs();
    rmSync(join(dir, 'status-words.json'));
    expect(() => loadSpecs(dir)).toThrow(expect.objectContaining({ code: 'SPEC_MISSING', message: expect.stringMatching(/status-words\.json: cannot read file/) }));
  });
  it('names a file that is not JSON', () => {
    const dir = copySpecs();
    writeFileSync(join(dir, 'atr.json'), '{ nope');
    expect(() => loadSpecs(dir)).toThrow(/atr\.json: not valid JSON/);
  });
});

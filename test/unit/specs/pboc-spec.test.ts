import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSpecDir, loadSpecs } from '../../../src/specs/load-specs.js';
import { SpecError } from '../../../src/specs/spec-error.js';

function mutated(edit: (json: any) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'sscard-pboc-spec-'));
  cpSync(findSpecDir(), dir, { recursive: true });
  const path = join(dir, 'pboc.json');
  const json = JSON.parse(readFileSync(path, 'utf8'));
  edit(json);
  writeFileSync(path, JSON.stringify(json));
  return dir;
}

describe('apdu-specs/pboc.json', () => {
  it('carries the facts of card-spec §5', () => {
    const p = loadSpecs().pboc;
    expect(p.directories.map((d) => d.name)).toEqual(['1PAY.SYS.DDF01', '2PAY.SYS.DDF01']);
    expect(p.applications.map((a) => a.aid)).toEqual(['A000000333010101', 'A000000333010102', 'A000000333010103']);
    expect(p.getData.filter((g) => g.defaultRead).map((g) => g.tag)).toEqual(['9F79', '9F77', '9F78', '9F4F']);
    expect(p.tags.find((t) => t.tag === '9F79')?.format).toBe('amount');
  });
  it.each([
    [(j: any) => (j.tags[3].tag = '9F'), /pboc\.json: tags\[3\]\.tag: is not a well-formed BER-TLV tag/],
    [(j: any) => j.tags.push({ ...j.tags[0] }), /duplicate tag 6F/],
    [(j: any) => (j.getData[0].tag = '9F7F'), /getData\[0\]\.tag: tag 9F7F is not in tags/],
    [(j: any) => (j.applications[0].aid = 'A0'), /applications\[0\]\.aid/],
    [(j: any) => (j.recordScan.sfiTo = 0), /recordScan\.sfiTo/],
    [(j: any) => (j.pdolDefaults[0] = { tag: '9F66', label: 'x' }), /pdolDefaults\[0\]/],
    [(j: any) => (j.logFields[0].field = 'colour'), /logFields\[0\]\.field/],
  ])('a bad table fails at load naming the entry (%#)', (edit, msg) => {
    const dir = mutated(edit);
    expect(() => loadSpecs(dir)).toThrow(SpecError);
    expect(() => loadSpecs(dir)).toThrow(msg);
  });
});

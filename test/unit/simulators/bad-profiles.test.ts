import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SscardError } from '../../../src/core/sscard-error.js';
import { SpecError } from '../../../src/specs/spec-error.js';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { loadProfile, profilesDir } from '../../../simulators/load-profile.js';
import { SimulatorError } from '../../../simulators/sim-error.js';

const dir = mkdtempSync(join(tmpdir(), 'sscard-profiles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function base(id: string): Json {
  return JSON.parse(readFileSync(join(profilesDir(), `${id}.json`), 'utf8')) as Json;
}

/** Writes `x.json` (id x) made from a built-in profile with a change, and loads it. */
function loadChanged(from: string, change: (p: Json) => void, name = 'x'): () => unknown {
  const p = base(from);
  p.id = name;
  change(p);
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(p));
  return () => loadProfile(path);
}

/** The error thrown, checked to be typed and to name the file and entry. */
function failure(load: () => unknown, entry: string, name = 'x'): SscardError & { entry?: string; file?: string } {
  let caught: unknown;
  try {
    load();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(SscardError);
  const e = caught as SscardError & { entry?: string; file?: string };
  const label = relative(process.cwd(), join(dir, `${name}.json`));
  expect(e.message.startsWith(`${label}: ${entry}: `)).toBe(true);
  expect(e.entry).toBe(entry);
  expect(e.file).toBe(label);
  return e;
}

describe('bad profiles fail with a typed error naming the file and the entry', () => {
  it.each([
    ['missing field', 'demo', (p: Json) => delete p.holder.birthDate, 'holder.birthDate', /expected string/],
    ['missing section', 'demo', (p: Json) => delete p.behaviour, 'behaviour', /expected object/],
    ['missing holder', 'demo', (p: Json) => delete p.holder, 'holder', /expected object/],
    ['wrong type', 'demo', (p: Json) => (p.holder.name = 42), 'holder.name', /expected string/],
    ['raw not an object', 'v2-long-name', (p: Json) => (p.raw = '322E3000'), 'raw', /expected record/],
    ['bad date format', 'demo', (p: Json) => (p.holder.birthDate = '19900307'), 'holder.birthDate', /YYYY-MM-DD/],
    ['impossible date', 'demo', (p: Json) => (p.card.expiryDate = '2035-02-30'), 'card.expiryDate', /not a calendar date/],
    ['name too long for 1.0', 'v1-zhang-san', (p: Json) => (p.holder.name = '张三丰张三丰张三丰张三丰张三丰张'), 'holder.name', /32 GBK bytes does not fit 30 bytes .*no name extension/],
    ['name too long for 2.0', 'demo', (p: Json) => (p.holder.name = '张'.repeat(26)), 'holder.name', /52 GBK bytes does not fit 30 \+ 20 bytes/],
    ['non-GBK character', 'demo', (p: Json) => (p.holder.name = '王小明😀'), 'holder.name', /GBK cannot encode/],
    ['bad hex in raw', 'v2-long-name', (p: Json) => (p.raw['03'] = '322E30G0'), 'raw.03', /hex/],
    ['odd hex in raw', 'v2-long-name', (p: Json) => (p.raw['03'] = '322E300'), 'raw.03', /whole bytes/],
    ['raw tag not on the card', 'v1-zhang-san', (p: Json) => (p.raw = { '4E': '00' }), 'raw.4E', /no record with tag 4E on a 1.0 card/],
    ['unknown algorithm', 'demo', (p: Json) => (p.algorithm = '04'), 'algorithm', /unknown algorithm 04/],
    ['algorithm not hex byte', 'demo', (p: Json) => (p.algorithm = 'SM4'), 'algorithm', /hex/],
    ['ATR too short', 'demo', (p: Json) => (p.atr = '3B6D000000814A'), 'atr', /3B6D0000 \+ 13 historical bytes/],
    ['ATR of another card', 'demo', (p: Json) => (p.atr = '3B6E000000814A44468660110112345678'), 'atr', /card-spec\.md §6/],
    ['unknown generation', 'demo', (p: Json) => (p.generation = '4.0'), 'generation', /1\.0/],
    ['value too long for its record', 'demo', (p: Json) => (p.card.cardClass = '12'), 'card.cardClass', /does not fit an 1 \(tag 02\)/],
    ['version too long', 'demo', (p: Json) => (p.card.specVersion = '2.000'), 'card.specVersion', /does not fit an 4/],
    ['too many digits', 'demo', (p: Json) => (p.card.initializingInstitution = '1'.repeat(25)), 'card.initializingInstitution', /1-24 decimal digits/],
    ['bad card id code', 'demo', (p: Json) => (p.card.cardIdentificationCode = '110100D15600000512345678'), 'card.cardIdentificationCode', /32/],
    ['bad SSN', 'demo', (p: Json) => (p.holder.ssn = '11010519900307103x'), 'holder.ssn', /check character/],
    ['unknown sex code', 'demo', (p: Json) => (p.holder.sex = '3'), 'holder.sex', /unknown sex code/],
    ['unknown ethnic group', 'demo', (p: Json) => (p.holder.ethnicGroup = '77'), 'holder.ethnicGroup', /not a GB 3304/],
    ['bad behaviour switch', 'demo', (p: Json) => (p.behaviour.leZero = '6C'), 'behaviour.leZero', /6Cxx/],
    ['not synthetic', 'demo', (p: Json) => (p.synthetic = false), 'synthetic', /synthetic people only/],
    ['unknown key (typo)', 'demo', (p: Json) => (p.holder.birthdate = '1990-03-07'), 'holder', /birthdate/],
    ['transparent content too big', 'demo', (p: Json) => (p.transparent = { EF07: '00'.repeat(769) }), 'transparent.EF07', /769 bytes do not fit EF07 of 768/],
    ['transparent on a record EF', 'demo', (p: Json) => (p.transparent = { EF05: '00' }), 'transparent.EF05', /not a transparent EF/],
  ])('%s', (_what, from, change, entry, message) => {
    const e = failure(loadChanged(from, change), entry);
    expect(e).toBeInstanceOf(SpecError);
    expect(e.code).toBe('SPEC_INVALID');
    expect(e.message).toMatch(message);
  });

  it('an id other than the file name -> SimulatorError PROFILE_INVALID', () => {
    const path = join(dir, 'y.json');
    writeFileSync(path, JSON.stringify({ ...base('demo'), id: 'z' }));
    const e = failure(() => loadProfile(path), 'id', 'y');
    expect(e).toBeInstanceOf(SimulatorError);
    expect(e.code).toBe('PROFILE_INVALID');
  });

  it('not JSON -> SpecError SPEC_NOT_JSON naming the file', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "id": "broken", ');
    expect(() => loadProfile(path)).toThrow(SpecError);
    expect(() => loadProfile(path)).toThrow(/broken\.json: not valid JSON/);
  });

  it('unknown id -> SimulatorError PROFILE_NOT_FOUND listing the known ids', () => {
    let caught: unknown;
    try {
      loadProfile('no-such-card');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SimulatorError);
    expect((caught as SimulatorError).code).toBe('PROFILE_NOT_FOUND');
    expect((caught as SimulatorError).message).toMatch(/no-such-card.*known: demo, v1-empty-version, v1-zhang-san, v2-bad-check, v2-long-name, v3-sm4/);
    expect(() => loadProfile(join(dir, 'missing.json'))).toThrow(SimulatorError);
  });

  it('a profile value given to createSimulatedCard is validated the same way', () => {
    const p = base('v1-zhang-san');
    p.holder.name = '张'.repeat(16);
    expect(() => createSimulatedCard(p as never)).toThrow(SpecError);
    expect(() => createSimulatedCard(p as never)).toThrow(/^profile v1-zhang-san: holder\.name: name of 32 GBK bytes/);
  });

  it('SimulatorError carries layer, code, file and entry in toJSON', () => {
    const e = new SimulatorError('PROFILE_INVALID', 'p.json: id: bad', 'p.json', 'id');
    expect(e.toJSON()).toEqual({ name: 'SimulatorError', layer: 'simulator', code: 'PROFILE_INVALID', message: 'p.json: id: bad', file: 'p.json', entry: 'id' });
  });
});

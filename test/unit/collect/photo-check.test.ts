import { mkdtempSync, readFileSync, writeFileSync, openSync, ftruncateSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPhoto, checkPhotoFile, type PhotoReport } from '../../../src/collect/photo-check.js';
import { parseSizeBand, photoRules, SIZE_BANDS } from '../../../src/collect/photo-rules.js';
import { SYNTHETIC_CHIP_PHOTO, SYNTHETIC_COLLECTION_PHOTO, syntheticPhoto, type SyntheticPhotoOptions } from '../../../src/collect/synthetic-photo.js';
import { profilesDir } from '../../../simulators/load-profile.js';

const make = (o: Partial<SyntheticPhotoOptions> = {}) => syntheticPhoto({ seed: 3, ...SYNTHETIC_COLLECTION_PHOTO, ...o });
const failed = (r: PhotoReport) => r.failures.map((f) => f.rule).sort();

describe('photo check (national photo spec, docs/collect.md)', () => {
  it('a conforming synthetic photo passes every checked rule; face rules are listed as not checked', async () => {
    const r = await checkPhoto(await make(), 'ok.jpg');
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.bytes).toBeGreaterThanOrEqual(14 * 1024);
    expect(r.bytes).toBeLessThanOrEqual(40 * 1024);
    expect(r.findings.filter((f) => f.status === 'not-checked').map((f) => f.rule)).toEqual(['face-width', 'hair-top', 'eye-height']);
    expect(r.findings.find((f) => f.rule === 'dimensions')).toMatchObject({ status: 'pass', measured: '358×441', limit: '358×441' });
    expect(r.findings.find((f) => f.rule === 'density')).toMatchObject({ status: 'pass', measured: 350 });
  });

  it('wrong size names dimensions, with the measured size', async () => {
    const r = await checkPhoto(await make({ width: 300, height: 400 }), 'small.jpg');
    expect(failed(r)).toEqual(['dimensions']);
    expect(r.failures[0]).toMatchObject({ measured: '300×400', limit: '358×441' });
  });

  it('grey names colour', async () => {
    const r = await checkPhoto(await make({ colour: 'grey' }), 'grey.jpg');
    expect(failed(r)).toEqual(['colour']);
    expect(r.failures[0]!.message).toMatch(/greyscale/);
  });

  it('CMYK names colour', async () => {
    const r = await checkPhoto(await make({ colour: 'cmyk', quality: 60 }), 'cmyk.jpg');
    expect(failed(r)).toContain('colour');
    expect(r.failures.find((f) => f.rule === 'colour')!.message).toMatch(/CMYK/);
  });

  it('a PNG renamed .jpg names format', async () => {
    const r = await checkPhoto(await make({ format: 'png' }), 'renamed.jpg');
    expect(failed(r)).toContain('format');
    expect(r.failures.find((f) => f.rule === 'format')).toMatchObject({ measured: 'png', limit: 'jpeg' });
    expect(failed(r).filter((x) => x !== 'format' && x !== 'file-size')).toEqual([]);
  });

  it('72 dpi names density', async () => {
    const r = await checkPhoto(await make({ density: 72 }), '72dpi.jpg');
    expect(failed(r)).toEqual(['density']);
    expect(r.failures[0]).toMatchObject({ measured: 72, limit: '350 dpi' });
  });

  it('too large names file-size; the band is a setting (60-80 KB region)', async () => {
    const big = await make({ texture: 3000, quality: 100 });
    const r = await checkPhoto(big, 'big.jpg');
    expect(big.length).toBeGreaterThan(40 * 1024);
    expect(failed(r)).toEqual(['file-size']);
    expect(r.failures[0]).toMatchObject({ measured: big.length, limit: `${14 * 1024}-${40 * 1024} bytes` });
    const normal = await make();
    expect(failed(await checkPhoto(normal, 'n.jpg', photoRules({ sizeBytes: parseSizeBand('band-60-80') })))).toEqual(['file-size']);
    expect(parseSizeBand('60-80')).toEqual(SIZE_BANDS['band-60-80']);
    expect(() => parseSizeBand('big')).toThrow(expect.objectContaining({ code: 'BAD_CONFIG' }));
  });

  it('dark background names background-light; a light grey-blue one still passes', async () => {
    const r = await checkPhoto(await make({ background: '#303848' }), 'dark.jpg');
    expect(failed(r)).toEqual(['background-light']);
    expect(r.failures[0]!.measured).toBeLessThan(100);
    expect((await checkPhoto(await make({ background: '#eef3fa' }), 'light.jpg')).ok).toBe(true);
  });

  it('a frame names frame; progressive JPEG names baseline', async () => {
    expect(failed(await checkPhoto(await make({ frame: { colour: '#000000', px: 3 } }), 'frame.jpg'))).toEqual(['frame']);
    expect(failed(await checkPhoto(await make({ progressive: true }), 'prog.jpg'))).toEqual(['baseline']);
  });

  it('the simulator profile photos conform to the spec with the chip band (EF08 holds 4096 bytes)', async () => {
    for (const id of ['demo', 'v1-zhang-san', 'v2-long-name', 'v2-bad-check', 'v3-sm4']) {
      const r = await checkPhotoFile(join(profilesDir(), 'photos', `${id}.jpg`), photoRules({ sizeBytes: SIZE_BANDS.chip }));
      expect(r.failures, id).toEqual([]);
    }
  });

  it('the synthetic generator is deterministic', async () => {
    expect((await syntheticPhoto({ seed: 15, ...SYNTHETIC_CHIP_PHOTO })).equals(readFileSync(join(profilesDir(), 'photos', 'v3-sm4.jpg')))).toBe(true);
  });
});

describe('photo check: bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sscard-photo-check-'));
  it('not an image: NOT_AN_IMAGE naming the file', async () => {
    const p = join(dir, 'text.jpg');
    writeFileSync(p, 'this is a roster, not a photo\n');
    await expect(checkPhotoFile(p)).rejects.toMatchObject({ code: 'NOT_AN_IMAGE', file: p, message: expect.stringContaining(p) });
  });
  it('a truncated JPEG: NOT_AN_IMAGE', async () => {
    const good = await make();
    await expect(checkPhoto(good.subarray(0, 600), 'cut.jpg')).rejects.toMatchObject({ code: 'NOT_AN_IMAGE', file: 'cut.jpg' });
  });
  it('a 50 MB file: FILE_TOO_LARGE before anything is read', async () => {
    const p = join(dir, 'huge.jpg');
    const fd = openSync(p, 'w');
    ftruncateSync(fd, 50 * 1024 * 1024);
    closeSync(fd);
    await expect(checkPhotoFile(p)).rejects.toMatchObject({ code: 'FILE_TOO_LARGE', file: p });
  });
  it('a missing file: FILE_UNREADABLE', async () => {
    await expect(checkPhotoFile(join(dir, 'none.jpg'))).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
  });
  it('a decompression bomb (huge pixel count in a small file) is refused, not decoded', async () => {
    const sharp = (await import('sharp')).default;
    const bomb = await sharp({ create: { width: 2000, height: 2000, channels: 3, background: '#ffffff' } }).jpeg({ quality: 10 }).toBuffer();
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    await expect(checkPhoto(bomb, 'bomb.jpg')).rejects.toMatchObject({ code: 'NOT_AN_IMAGE' });
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfile, validateProfile } from '../../../simulators/load-profile.js';
import { withProfilePhoto } from '../../../simulators/profile-photo.js';

describe('profile photo (EF08 content from a JPEG beside the profile)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sscard-photo-'));
  const base = loadProfile('demo');
  const { photo: _photo, transparent: _t, ...plain } = base;
  const withFile = (name: string, bytes: Uint8Array) => {
    writeFileSync(join(dir, name), bytes);
    return withProfilePhoto({ ...plain, photo: name }, dir, 'x.json');
  };

  it('built-in profiles carry their JPEG in EF08 from offset 0', () => {
    const p = loadProfile('v3-sm4');
    expect(p.photo).toBe('photos/v3-sm4.jpg');
    expect(p.transparent?.['EF08']?.startsWith('FFD8')).toBe(true);
  });

  it('missing file, not a JPEG, larger than EF08: PROFILE_INVALID naming the file and entry', () => {
    expect(() => withProfilePhoto({ ...plain, photo: 'nope.jpg' }, dir, 'x.json')).toThrow(expect.objectContaining({ code: 'PROFILE_INVALID', message: expect.stringMatching(/^x\.json: photo: cannot read nope\.jpg: ENOENT/) }));
    expect(() => withFile('png.jpg', Uint8Array.of(0x89, 0x50, 0x4e, 0x47))).toThrow(expect.objectContaining({ code: 'PROFILE_INVALID', message: expect.stringContaining('not a JPEG') }));
    expect(() => withFile('big.jpg', Uint8Array.from([0xff, 0xd8, ...new Uint8Array(5000)]))).toThrow(expect.objectContaining({ message: expect.stringContaining('5002 bytes, EF08 holds 4096') }));
  });

  it('a photo path leaving the profiles folder is refused by the schema', () => {
    expect(() => validateProfile({ ...plain, photo: '../../etc/x.jpg' }, 'x.json')).toThrow(/photo/);
    expect(() => validateProfile({ ...plain, photo: 'photos/../../x.jpg' }, 'x.json')).toThrow(/photo/);
  });
});

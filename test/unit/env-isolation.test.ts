import { homedir, tmpdir } from 'node:os';
import { expect, it } from 'vitest';

it('tests run with a temporary SSCARD_DATA_DIR, never the home directory', () => {
  const dir = process.env.SSCARD_DATA_DIR ?? '';
  expect(dir.startsWith(tmpdir())).toBe(true);
  expect(dir.startsWith(homedir())).toBe(false);
});

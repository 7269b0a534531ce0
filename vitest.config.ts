import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests never touch the user's real data directory (status database, tokens, config) nor its log directory.
const env = { SSCARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'sscard-test-data-')), SSCARD_STATE_DIR: mkdtempSync(join(tmpdir(), 'sscard-test-state-')) };

export default defineConfig({
  test: {
    globalSetup: ['test/support/build-once.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/contract/**/*.test.ts'],
          pool: 'forks',
          env,
          // Many tests spawn the real CLI; on a loaded 2-core CI machine 5 s is too tight.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'pcsc',
          include: ['test/pcsc/**/*.test.ts'],
          pool: 'forks',
          env,
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});

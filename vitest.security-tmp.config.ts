import { defineConfig } from 'vitest/config';
export default defineConfig({ test: { include: ['test/unit/simulators/**/*.test.ts'], pool: 'forks', root: '/work/main' } });

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // kubectl suites start real processes; two workers keep a 2-core CI machine responsive.
    maxWorkers: 2,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});

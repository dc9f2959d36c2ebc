import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

/**
 * Three groups of tests, all run by `npm test`:
 * - unit: pure modules and entrypoint logic against WXT's in-memory fake browser;
 * - integration: real processes on this machine (moto's STS/S3/ECR emulator, the native host, the AWS CLI, boto3);
 * - e2e: the built extension in real Chromium and Firefox.
 */
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [WxtVitest()],
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          setupFiles: ['tests/support/english-catalogue-setup.ts'],
        },
      },
      {
        plugins: [WxtVitest()],
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['tests/support/english-catalogue-setup.ts'],
          globalSetup: ['tests/support/moto-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins: [WxtVitest()],
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/build-global-setup.ts', 'tests/support/moto-global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One browser at a time on a 2-core machine (and `./dev.sh test` runs this project after the others).
          fileParallelism: false,
          // A real browser on a shared 2-core machine can miss a beat (a watcher event, a slow tab): a failing test
          // runs once more, with the same assertions; vitest reports which ones needed it.
          retry: 1,
        },
      },
    ],
  },
});

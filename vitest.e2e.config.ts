import { defineConfig } from 'vitest/config';

// End-to-end tests: real Chromium against the built app in dist/ (scripts/e2e.mjs builds first).
export default defineConfig({
	test: {
		include: ['test/e2e/**/*.e2e.test.ts'],
		environment: 'node',
		testTimeout: 180_000,
		hookTimeout: 180_000,
		fileParallelism: false,
		pool: 'forks',
		// Says once per run that the real-data tests are skipped (fails under CI=true).
		globalSetup: ['test/shared-data-setup.ts']
	}
});

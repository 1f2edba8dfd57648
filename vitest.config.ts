import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Unit tests: Node, real Pyodide and sql.js loaded from node_modules.
export default defineConfig({
	plugins: [svelte()],
	test: {
		include: ['test/unit/**/*.test.ts'],
		environment: 'node',
		testTimeout: 60_000,
		hookTimeout: 120_000,
		pool: 'forks',
		// Says once per run that the real-data tests are skipped (fails under CI=true).
		globalSetup: ['test/shared-data-setup.ts']
	}
});

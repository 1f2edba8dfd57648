// ESLint: recommended rules (no stylistic ones: Prettier formats) and the layer rules the README's
// "How it is built" describes, so an import that points up a layer fails `npm run check`.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import importX from 'eslint-plugin-import-x';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import cycles from './scripts/eslint-import-cycles.mjs';
import svelteConfig from './svelte.config.js';

/** A zone of import-x/no-restricted-paths: files under `target` may not import from `from`. */
function layer(target, from, why, except) {
	return { target, from, except, message: why };
}

const layers = [
	layer(
		'./src/core',
		'./src',
		'src/core is framework-free and runs in Node: from the repository it imports only src/core and workers/.',
		['./core']
	),
	layer(
		'./src/runtime',
		['./src/state', './src/embed', './src/components'],
		'src/runtime is the thin client of the workers, below state, embed and the UI.'
	),
	layer('./src/state', './src/embed', 'src/state does not import the embed API (src/embed).'),
	layer(
		'./src/lib',
		['./src/state', './src/runtime', './src/embed', './src/components'],
		'src/lib holds helpers for every layer above the workers; it imports none of them.'
	),
	layer('./workers', './src', 'workers/ imports nothing from src/ (the page imports the workers).')
];

export default defineConfig([
	globalIgnores([
		'dist/',
		'public/vendor/',
		'public/samples/',
		'test/.results/',
		'test/e2e/screenshots/',
		'.vite/',
		'.debug/'
	]),
	js.configs.recommended,
	ts.configs.recommended,
	svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser } }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig }
		}
	},
	{
		files: ['workers/**'],
		languageOptions: { globals: { ...globals.worker, ...globals.serviceworker } }
	},
	{
		files: ['scripts/**', 'bench/**', 'test/**', '*.config.{js,ts}'],
		ignores: ['bench/pages/**'],
		languageOptions: { globals: { ...globals.node } }
	},
	{
		plugins: { 'import-x': importX, local: cycles },
		rules: {
			'import-x/no-restricted-paths': ['error', { zones: layers }],
			'local/no-import-cycle': 'error'
		}
	},
	{
		rules: {
			// `_`-prefixed names are deliberately unused (a required parameter, a skipped element).
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }
			]
		}
	},
	{
		// Tests reach into pages through page.evaluate (globals the test pages define, with no
		// declarations) and echo arbitrary JSON from scripted servers.
		files: ['test/**'],
		rules: { '@typescript-eslint/no-explicit-any': 'off' }
	}
]);

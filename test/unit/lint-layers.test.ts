import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript-eslint';
import { afterAll, expect, test } from 'vitest';
import cycles from '../../scripts/eslint-import-cycles.mjs';

// The layer rules of eslint.config.js on deliberate violations: each one must be reported, so a
// rule that stops matching (a moved folder, a renamed option) fails here, not silently.

const root = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** The import rules ESLint reports for `code` as if it were the file at `path` (repo-relative). */
async function rulesFor(path: string, code: string): Promise<string[]> {
	const [result] = await eslint.lintText(code, { filePath: join(root, path) });
	return result.messages.flatMap((m) => (m.ruleId?.includes('import') ? [m.ruleId] : []));
}

test.each([
	['src/core/probe.ts', "import { parseStartParams } from '../state/url-params.ts';"],
	['src/core/agent/probe.ts', "import type { EditorLanguage } from '../../lib/editor.ts';"],
	['src/core/probe.ts', "import { contractVersion } from '../embed/contract.ts';"],
	['src/core/probe.ts', "import App from '../App.svelte';"],
	['src/state/probe.svelte.ts', "import { contractVersion } from '../embed/contract.ts';"],
	['src/lib/probe.ts', "import type { Language } from '../state/url-params.ts';"],
	['src/runtime/probe.ts', "import type { Language } from '../state/url-params.ts';"],
	['workers/probe.ts', "import type { EditorLanguage } from '../src/lib/editor.ts';"]
])('%s: %s is refused', async (path, line) => {
	expect(await rulesFor(path, `${line}\nexport {};\n`)).toContain('import-x/no-restricted-paths');
});

test('imports that point down a layer pass', async () => {
	const allowed = [
		"import type { SqlValue } from '../../workers/protocol.ts';",
		"import { parseData } from './providers/http.ts';"
	].join('\n');
	expect(await rulesFor('src/core/probe.ts', `${allowed}\nexport {};\n`)).toEqual([]);
	const state = "import type { Language } from './url-params.ts';\nexport {};\n";
	expect(await rulesFor('src/state/probe.svelte.ts', state)).toEqual([]);
});

const dir = mkdtempSync(join(tmpdir(), 'execlab-cycles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the files (name → text) into a fresh folder and lints them with the cycle rule only. */
async function cyclesIn(files: Record<string, string>): Promise<string[]> {
	const folder = mkdtempSync(join(dir, 'case-'));
	for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
	const linter = new ESLint({
		cwd: folder,
		overrideConfigFile: true,
		overrideConfig: [
			{
				files: ['**/*.ts'],
				languageOptions: { parser: ts.parser },
				plugins: { local: cycles },
				rules: { 'local/no-import-cycle': 'error' }
			}
		]
	});
	const results = await linter.lintFiles(['*.ts']);
	return results.flatMap((r) => r.messages.map((m) => m.message)).sort();
}

test('a cycle closed by a type-only import is reported on both sides', async () => {
	const found = await cyclesIn({
		'a.ts': "import type { B } from './b.ts';\nexport type A = B | 1;\n",
		'b.ts': "import { a } from './c.ts';\nexport type B = typeof a;\n",
		'c.ts': "export { a } from './a-value.ts';\n",
		'a-value.ts': "import type { A } from './a.ts';\nexport const a: A = 1;\n"
	});
	expect(found).toEqual([
		'Import cycle: a-value.ts → a.ts → b.ts → c.ts → a-value.ts',
		'Import cycle: a.ts → b.ts → c.ts → a-value.ts → a.ts',
		'Import cycle: b.ts → c.ts → a-value.ts → a.ts → b.ts',
		'Import cycle: c.ts → a-value.ts → a.ts → b.ts → c.ts'
	]);
});

test('a dependency chain with no way back is not a cycle', async () => {
	const found = await cyclesIn({
		'a.ts': "import { b } from './b.ts';\nexport const a = b;\n",
		'b.ts': "import type { C } from './c';\nexport const b: C = 1;\n",
		'c.ts': "import 'node:fs';\nexport type C = number;\n"
	});
	expect(found).toEqual([]);
});

import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { helperFolder, helperParts } from '../workers/python-helper.ts';
import { writeStdlibWithBytecode } from './stdlib-pyc.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Runtime files copied from node_modules into public/vendor so the app never loads them from a CDN;
 * `build` makes the file instead of copying it, when it is older than any of `inputs`.
 */
export const vendorFiles: {
	from: string;
	to: string;
	build?: (from: string, to: string) => Promise<unknown>;
	inputs?: string[];
}[] = [
	...['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'pyodide-lock.json'].map((f) => ({
		from: `node_modules/pyodide/${f}`,
		to: `public/vendor/pyodide/${f}`
	})),
	{
		from: 'node_modules/pyodide/python_stdlib.zip',
		to: 'public/vendor/pyodide/python_stdlib.zip',
		// The start-up modules get bytecode (scripts/stdlib-pyc.ts); which ones depends on the helper.
		build: (from, to) => writeStdlibWithBytecode(join(root, 'node_modules/pyodide/'), from, to),
		inputs: [
			'scripts/stdlib-pyc.ts',
			// The helper: its Python sources and the code that joins and installs them.
			...helperParts.map((part) => `${helperFolder}/${part}`),
			'workers/python-helper.ts',
			'node_modules/pyodide/pyodide.asm.wasm'
		]
	},
	{ from: 'node_modules/sql.js/dist/sql-wasm.wasm', to: 'public/vendor/sql/sql-wasm.wasm' }
];

/** Copies (or builds) the vendor files when missing or out of date; returns how many were written. */
export async function copyVendorAssets(): Promise<number> {
	let copied = 0;
	for (const { from, to, build, inputs = [] } of vendorFiles) {
		const src = join(root, from);
		const dst = join(root, to);
		const newest = Math.max(...[from, ...inputs].map((f) => statSync(join(root, f)).mtimeMs));
		if (existsSync(dst) && statSync(dst).mtimeMs >= newest) continue;
		mkdirSync(dirname(dst), { recursive: true });
		if (build) await build(src, dst);
		else copyFileSync(src, dst);
		copied++;
	}
	return copied;
}

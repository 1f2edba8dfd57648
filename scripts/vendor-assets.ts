import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Runtime files copied from node_modules into public/vendor so the app never loads them from a CDN. */
export const vendorFiles: { from: string; to: string }[] = [
	...[
		'pyodide.mjs',
		'pyodide.asm.mjs',
		'pyodide.asm.wasm',
		'python_stdlib.zip',
		'pyodide-lock.json'
	].map((f) => ({ from: `node_modules/pyodide/${f}`, to: `public/vendor/pyodide/${f}` })),
	{ from: 'node_modules/sql.js/dist/sql-wasm.wasm', to: 'public/vendor/sql/sql-wasm.wasm' }
];

/** Copies the vendor files when missing or older than their source; returns how many were copied. */
export function copyVendorAssets(): number {
	let copied = 0;
	for (const { from, to } of vendorFiles) {
		const src = join(root, from);
		const dst = join(root, to);
		if (existsSync(dst) && statSync(dst).mtimeMs >= statSync(src).mtimeMs) continue;
		mkdirSync(dirname(dst), { recursive: true });
		copyFileSync(src, dst);
		copied++;
	}
	return copied;
}

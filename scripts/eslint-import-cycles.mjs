// An ESLint rule that reports import cycles, type-only imports included: a type cycle is a design
// cycle between two modules even when TypeScript erases it, and eslint-plugin-import-x's
// no-cycle skips type imports with no option to count them. Relative specifiers only (packages
// cannot import us back); each file's imports are read with TypeScript's own scanner
// (ts.preProcessFile: static, type-only, re-exports and import() alike), .svelte files by their
// <script> blocks.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

const scripts = /<script\b[^>]*>([\s\S]*?)<\/script>/g;
// Specifiers the project writes without their extension still resolve (Vite and TS accept them).
const suffixes = ['', '.ts', '.js', '.svelte', '/index.ts', '/index.js'];

/** @type {Map<string, { mtime: number, imports: string[] }>} */
const cache = new Map();

/** The file a relative specifier names, or null for packages, virtual modules and missing files. */
function resolveSpecifier(from, specifier) {
	if (!specifier.startsWith('./') && !specifier.startsWith('../')) return null;
	const base = resolve(dirname(from), specifier.replace(/[?#].*$/, ''));
	for (const suffix of suffixes) {
		const path = base + suffix;
		if (existsSync(path) && statSync(path).isFile()) return path;
	}
	return null;
}

/** The files a source file imports (any kind of import), read once per modification time. */
function importsOf(file) {
	const mtime = statSync(file).mtimeMs;
	const hit = cache.get(file);
	if (hit?.mtime === mtime) return hit.imports;
	const text = readFileSync(file, 'utf8');
	const code = file.endsWith('.svelte')
		? [...text.matchAll(scripts)].map((m) => m[1]).join('\n')
		: text;
	const { importedFiles } = ts.preProcessFile(code, true, true);
	const imports = importedFiles.flatMap((f) => resolveSpecifier(file, f.fileName) ?? []);
	cache.set(file, { mtime, imports });
	return imports;
}

/** A path of imports from `start` back to `target` (start first), or null when there is none. */
function pathBack(start, target) {
	const seen = new Set([start]);
	const queue = [[start]];
	while (queue.length > 0) {
		const route = queue.shift();
		for (const next of importsOf(route[route.length - 1])) {
			if (next === target) return route;
			if (seen.has(next) || !/\.(ts|js|mjs|svelte)$/.test(next)) continue;
			seen.add(next);
			queue.push([...route, next]);
		}
	}
	return null;
}

/**
 * The rule `no-import-cycle`: an import whose target leads back to the importing file.
 * @type {import('eslint').Rule.RuleModule}
 */
export const noImportCycle = {
	meta: {
		type: 'problem',
		docs: { description: 'Forbid import cycles, type-only imports included.' },
		schema: [],
		messages: { cycle: 'Import cycle: {{route}}' }
	},
	create(context) {
		const file = context.physicalFilename;
		const cwd = context.cwd;
		const check = (node) => {
			if (typeof node.source?.value !== 'string') return;
			const target = resolveSpecifier(file, node.source.value);
			if (target === null || target === file) return;
			const route = pathBack(target, file);
			if (route === null) return;
			const names = [file, ...route, file].map((p) => relative(cwd, p));
			context.report({ node: node.source, messageId: 'cycle', data: { route: names.join(' → ') } });
		};
		return {
			ImportDeclaration: check,
			ExportNamedDeclaration: check,
			ExportAllDeclaration: check,
			ImportExpression: check
		};
	}
};

/**
 * The local plugin holding {@link noImportCycle}, for eslint.config.js.
 * @type {import('eslint').ESLint.Plugin}
 */
export default { rules: { 'no-import-cycle': noImportCycle } };

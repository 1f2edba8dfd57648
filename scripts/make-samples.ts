// Builds the bundled sample databases (public/samples/*.sqlite + index.json) with sql.js in Node,
// deterministically: seeded randomness, no clock. Run by the Vite plugin in vite.config.ts.
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlJsStatic } from 'sql.js';
import type { SqlSampleInfo } from '../workers/protocol.ts';
import type { SampleSpec } from './samples/sample.ts';
import { school } from './samples/school.ts';
import { shop } from './samples/shop.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The samples, in the order the picker lists them. */
export const sampleSpecs: SampleSpec[] = [school, shop];

/** A built sample: the .sqlite bytes and its index entry. */
export interface BuiltSample {
	bytes: Uint8Array;
	entry: SqlSampleInfo;
}

/** Builds one sample in memory. */
export function buildSample(SQL: SqlJsStatic, spec: SampleSpec): BuiltSample {
	const db = new SQL.Database();
	try {
		spec.build(db);
		db.exec('VACUUM');
		const tables = db
			.exec(
				"SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
			)[0]
			.values.map(([name]) => ({
				name: String(name),
				rows: Number(db.exec(`SELECT count(*) FROM "${String(name)}"`)[0].values[0][0])
			}));
		const bytes = db.export();
		const { name, title, description } = spec;
		return {
			bytes,
			entry: { name, title, description, file: `${name}.sqlite`, bytes: bytes.length, tables }
		};
	} finally {
		db.close();
	}
}

/** Whether the outputs are missing or older than any generator source. */
export function samplesAreStale(outDir = join(root, 'public/samples')): boolean {
	const index = join(outDir, 'index.json');
	if (!existsSync(index)) return true;
	if (sampleSpecs.some((s) => !existsSync(join(outDir, `${s.name}.sqlite`)))) return true;
	const built = statSync(index).mtimeMs;
	const sources = [
		join(root, 'scripts/make-samples.ts'),
		...readdirSync(join(root, 'scripts/samples')).map((f) => join(root, 'scripts/samples', f))
	];
	return sources.some((f) => statSync(f).mtimeMs > built);
}

/** Writes every sample and index.json when stale (or when forced); returns how many were written. */
export async function makeSamples(
	options: { outDir?: string; force?: boolean } = {}
): Promise<number> {
	const outDir = options.outDir ?? join(root, 'public/samples');
	if (!options.force && !samplesAreStale(outDir)) return 0;
	const { default: initSqlJs } = await import('sql.js');
	const SQL = await initSqlJs({
		locateFile: () => join(root, 'node_modules/sql.js/dist/sql-wasm.wasm')
	});
	mkdirSync(outDir, { recursive: true });
	const entries: SqlSampleInfo[] = [];
	for (const spec of sampleSpecs) {
		const { bytes, entry } = buildSample(SQL, spec);
		writeFileSync(join(outDir, entry.file), bytes);
		entries.push(entry);
	}
	// index.json last: its time stamp marks a complete build.
	writeFileSync(join(outDir, 'index.json'), `${JSON.stringify(entries, null, '\t')}\n`);
	return entries.length;
}

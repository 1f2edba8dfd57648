import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import initSqlJs from 'sql.js';
import type { Executors } from '../../../src/core/executors.ts';
import { PythonEngine } from '../../../workers/python-engine.ts';
import { loadSqlEngine, type SqlEngine } from '../../../workers/sql-engine.ts';

const pyodideDir = fileURLToPath(new URL('../../../node_modules/pyodide/', import.meta.url));
const sqlWasm = fileURLToPath(
	new URL('../../../node_modules/sql.js/dist/sql-wasm.wasm', import.meta.url)
);

/** The shared test data folder (never copied into the product). */
export const sharedData = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));

/** Real engines behind the loop's Executors interface, in Node. */
export interface NodeExecutors extends Executors {
	sqlEngine: SqlEngine;
	pythonEngine: PythonEngine | null;
	/** Opens a database file under a name. */
	openDb(name: string, path: string): void;
	/** Engine versions, for trace headers. */
	engines: Record<string, string>;
}

/** Builds Executors from the real SqlEngine (sql.js) and, when asked, the real PythonEngine (Pyodide). */
export async function nodeExecutors(options: { python?: boolean } = {}): Promise<NodeExecutors> {
	const sqlEngine = await loadSqlEngine(initSqlJs, { wasmURL: sqlWasm });
	const pythonEngine = options.python ? await PythonEngine.load({ indexURL: pyodideDir }) : null;
	const needPython = () => {
		if (!pythonEngine) throw new Error('nodeExecutors: created without Python');
		return pythonEngine;
	};
	return {
		sqlEngine,
		pythonEngine,
		engines: {
			sqlite: sqlEngine.sqliteVersion,
			...(pythonEngine
				? { pyodide: pythonEngine.info.pyodideVersion, python: pythonEngine.info.pythonVersion }
				: {})
		},
		openDb(name, path) {
			sqlEngine.open(name, new Uint8Array(readFileSync(path)));
		},
		async python(code, { signal, onOutput, ...options }) {
			signal?.throwIfAborted();
			return needPython().run(code, options, onOutput);
		},
		async resetPython(session) {
			needPython().reset(session);
		},
		async pythonBatch(samples, { signal, ...options }) {
			signal?.throwIfAborted();
			return needPython().runMany(samples, options);
		},
		async sql(sql, { signal, ...options }) {
			signal?.throwIfAborted();
			return sqlEngine.exec(sql, options);
		},
		async schema(db) {
			return sqlEngine.schema(db);
		}
	};
}

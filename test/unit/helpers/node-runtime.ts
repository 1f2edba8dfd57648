import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import initSqlJs from 'sql.js';
import type { PythonRuntime, Runtime, SqlRuntime } from '../../../src/core/runtime.ts';
import { PythonEngine } from '../../../workers/python-engine.ts';
import { pythonTracerSource } from '../../../workers/python-tracer-source.ts';
import { pythonGuardSource } from '../../../workers/python-guard-source.ts';
import { loadSqlEngine, type SqlEngine } from '../../../workers/sql-engine.ts';

const pyodideDir = fileURLToPath(new URL('../../../node_modules/pyodide/', import.meta.url));
const sqlWasm = fileURLToPath(
	new URL('../../../node_modules/sql.js/dist/sql-wasm.wasm', import.meta.url)
);

/** The app's {@link Runtime} on the real engines in Node, with the engines themselves for setup. */
export interface NodeRuntime extends Runtime {
	sqlEngine: SqlEngine;
	pythonEngine: PythonEngine | null;
	/** Opens a database file under a name. */
	openDb(name: string, path: string): void;
	/** Engine versions, for trace headers. */
	engines: Record<string, string>;
}

/** Loads the real Pyodide engine from node_modules. */
export function loadNodePython(): Promise<PythonEngine> {
	return PythonEngine.load({ indexURL: pyodideDir });
}

/**
 * Python on the real engine. The engine runs synchronously in this thread, so there is nothing to
 * stop mid-run: an aborted signal refuses the call before it starts.
 */
export function pythonRuntimeOf(engine: PythonEngine): PythonRuntime {
	return {
		async run(code, { signal, ...options } = {}, onOutput) {
			signal?.throwIfAborted();
			return engine.run(code, options, onOutput);
		},
		async trace(code, { signal, ...options } = {}, onOutput) {
			signal?.throwIfAborted();
			engine.installTracer(pythonTracerSource);
			return engine.trace(code, options, onOutput);
		},
		async reset(session = 'default') {
			engine.reset(session);
		},
		async runMany(samples, { signal, ...options } = {}) {
			signal?.throwIfAborted();
			if (samples.some((sample) => sample.guard)) engine.installGuard(pythonGuardSource);
			return engine.runMany(samples, options);
		},
		stop() {},
		async heapBytes() {
			return engine.heapBytes();
		}
	};
}

const noSamples = () => Promise.reject(new Error('No bundled sample databases in Node tests'));

/** SQL on the real engine; there are no bundled samples (tests open their own files). */
export function sqlRuntimeOf(engine: SqlEngine): SqlRuntime {
	return {
		async exec(sql, { signal, ...options }) {
			signal?.throwIfAborted();
			return engine.exec(sql, options);
		},
		async execMany(calls, { signal } = {}) {
			signal?.throwIfAborted();
			return engine.execMany(calls);
		},
		open: async (name, bytes) => engine.open(name, bytes),
		schema: async (db) => engine.schema(db),
		close: async (db) => engine.close(db),
		list: () => engine.list(),
		async snapshot(db) {
			engine.snapshot(db);
		},
		restore: async (db) => engine.restore(db),
		exportBytes: async (db) => engine.exportBytes(db),
		samples: noSamples,
		fetchSample: noSamples,
		openSample: noSamples,
		download: () => Promise.reject(new Error('No downloads in Node tests')),
		stop() {}
	};
}

/** The Runtime on the real SqlEngine (sql.js) and, when asked, the real PythonEngine (Pyodide). */
export async function nodeRuntime(options: { python?: boolean } = {}): Promise<NodeRuntime> {
	const sqlEngine = await loadSqlEngine(initSqlJs, { wasmURL: sqlWasm });
	const pythonEngine = options.python ? await loadNodePython() : null;
	const python: PythonRuntime = pythonEngine
		? pythonRuntimeOf(pythonEngine)
		: {
				run: () => Promise.reject(new Error('nodeRuntime: created without Python')),
				reset: () => Promise.reject(new Error('nodeRuntime: created without Python')),
				runMany: () => Promise.reject(new Error('nodeRuntime: created without Python')),
				trace: () => Promise.reject(new Error('nodeRuntime: created without Python')),
				stop() {},
				heapBytes: () => Promise.reject(new Error('nodeRuntime: created without Python'))
			};
	return {
		python,
		sql: sqlRuntimeOf(sqlEngine),
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
		}
	};
}

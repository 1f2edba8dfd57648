import initSqlJs from 'sql.js';
import { fileURLToPath } from 'node:url';
import { loadSqlEngine, type SqlEngine } from '../../workers/sql-engine.ts';

/** Path of sql.js's wasm in node_modules, as the Node build wants it. */
export const sqlWasmPath = fileURLToPath(
	new URL('../../node_modules/sql.js/dist/sql-wasm.wasm', import.meta.url)
);

/** A real SqlEngine on sql.js loaded from node_modules. */
export function nodeSqlEngine(): Promise<SqlEngine> {
	return loadSqlEngine(initSqlJs, { wasmURL: sqlWasmPath });
}

// The SQL worker: a thin Comlink shell around SqlEngine, which holds all logic (and runs in Node tests).
import { expose, transfer } from 'comlink';
import initSqlJs from 'sql.js';
import type { SqlWorkerApi } from './protocol.ts';
import { loadSqlEngine, type SqlEngine } from './sql-engine.ts';

let engine: SqlEngine | null = null;

function ready(): SqlEngine {
	if (!engine) throw new Error('SQL worker used before init()');
	return engine;
}

/** The object the main thread reaches through Comlink. */
export const sqlWorkerApi = {
	async init(options) {
		engine ??= await loadSqlEngine(initSqlJs, options);
		return { sqliteVersion: engine.sqliteVersion };
	},
	async open(name, bytes) {
		return ready().open(name, bytes);
	},
	async exec(sql, options) {
		const result = ready().exec(sql, options);
		// The snapshot is fresh and owned by nobody else here, so move it instead of copying it.
		return result.snapshot ? transfer(result, [result.snapshot.buffer]) : result;
	},
	async schema(db) {
		return ready().schema(db);
	},
	async snapshot(db) {
		const bytes = ready().snapshot(db);
		return transfer(bytes, [bytes.buffer]);
	},
	async restore(db) {
		return ready().restore(db);
	},
	async exportBytes(db) {
		const bytes = ready().exportBytes(db);
		return transfer(bytes, [bytes.buffer]);
	},
	async list() {
		return ready().list();
	},
	async close(db) {
		ready().close(db);
	}
} satisfies SqlWorkerApi;

expose(sqlWorkerApi);

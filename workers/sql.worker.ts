// The SQL worker: a thin Comlink shell around SqlEngine, which holds all logic (and runs in Node tests).
import { expose, transfer } from 'comlink';
import initSqlJs from 'sql.js';
import type { SqlWorkerApi } from './protocol.ts';
import { loadSqlEngine, type SqlEngine } from './sql-engine.ts';

// Settled by the first init(); every other call waits for it, so the client can post its first
// calls together with init instead of one reply (from a busy main thread) later.
let settle!: { ok: (e: SqlEngine) => void; fail: (e: unknown) => void };
const engine = new Promise<SqlEngine>((ok, fail) => (settle = { ok, fail }));
let initStarted = false;

/** The object the main thread reaches through Comlink. */
export const sqlWorkerApi = {
	async init(options) {
		if (!initStarted) {
			initStarted = true;
			loadSqlEngine(initSqlJs, options).then(settle.ok, settle.fail);
		}
		return { sqliteVersion: (await engine).sqliteVersion };
	},
	async open(name, bytes) {
		return (await engine).open(name, bytes);
	},
	async exec(sql, options) {
		const result = (await engine).exec(sql, options);
		// The snapshot is fresh and owned by nobody else here, so move it instead of copying it.
		return result.snapshot ? transfer(result, [result.snapshot.buffer]) : result;
	},
	async execMany(calls) {
		return (await engine).execMany(calls);
	},
	async schema(db) {
		return (await engine).schema(db);
	},
	async snapshot(db) {
		const bytes = (await engine).snapshot(db);
		return transfer(bytes, [bytes.buffer]);
	},
	async restore(db) {
		return (await engine).restore(db);
	},
	async exportBytes(db) {
		const bytes = (await engine).exportBytes(db);
		return transfer(bytes, [bytes.buffer]);
	},
	async list() {
		return (await engine).list();
	},
	async close(db) {
		(await engine).close(db);
	}
} satisfies SqlWorkerApi;

expose(sqlWorkerApi);

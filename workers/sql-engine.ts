import type { Database, InitSqlJsStatic, SqlJsStatic, Statement } from 'sql.js';
import type {
	SqlError,
	SqlExecOptions,
	SqlExecResult,
	SqlInitOptions,
	SqlReadCall,
	SqlResultSet,
	SqlSchema,
	SqlValue
} from './protocol.ts';
import { defaultSqlHeapBytes, sqlFailure, sqlTimeLimitMessage } from './protocol.ts';
import { readSchema } from './sql-schema.ts';
import { onlyComments, readOnlyRefusal, readsOnly, schemaChanging } from './sql-statement-kinds.ts';
import { rowReader, type RowReader } from './sql-typed-rows.ts';

/** Rows kept per result set when the caller does not say. */
export const defaultMaxRows = 10_000;

/** Thrown by `open` when the bytes are not a usable SQLite database (e.g. "file is not a database"). */
export class SqlOpenError extends Error {
	override name = 'SqlOpenError';
}

interface OpenDb {
	db: Database;
	/** Prepared once: total_changes(), to count rows a call changed. */
	probe: Statement;
	/** Prepared once: SAVEPOINT, ROLLBACK TO and RELEASE of the read-only savepoint. */
	savepoint: [open: Statement, rollback: Statement, release: Statement];
	/** The state saved by `snapshot`, for `restore` (undo). */
	saved: Uint8Array | null;
}

// The savepoint that wraps a read-only call; a savepoint outside a transaction is a BEGIN, and
// ROLLBACK TO + RELEASE undo everything inside it, like SkyRL-SQL's BEGIN … ROLLBACK.
const readOnlySavepoint = 'execlab_read_only';

/** Loads sql.js (from a precompiled module, a wasm URL or a file path in Node) and returns an engine. */
export async function loadSqlEngine(
	initSqlJs: InitSqlJsStatic,
	options: SqlInitOptions
): Promise<SqlEngine> {
	const { wasmModule, wasmURL } = options;
	const SQL = await initSqlJs(
		wasmModule
			? {
					instantiateWasm(imports, done) {
						void WebAssembly.instantiate(wasmModule, imports).then(done);
						return undefined;
					}
				}
			: { locateFile: () => wasmURL ?? 'sql-wasm.wasm' }
	);
	return new SqlEngine(SQL, options.maxHeapBytes);
}

/** Named SQLite databases in sql.js: open, query with row caps, introspect, snapshot; framework-free. */
export class SqlEngine {
	readonly #SQL: SqlJsStatic;
	readonly #dbs = new Map<string, OpenDb>();
	readonly #readRow: RowReader;
	/** SQLite version of the loaded sql.js build. */
	readonly sqliteVersion: string;

	/**
	 * `maxHeapBytes` caps what SQLite may allocate (its hard heap limit, shared by every database of
	 * this sql.js instance; the PRAGMA can only lower it, so the first engine of a worker sets it).
	 */
	constructor(SQL: SqlJsStatic, maxHeapBytes = defaultSqlHeapBytes) {
		this.#SQL = SQL;
		const probe = new SQL.Database();
		this.sqliteVersion = String(probe.exec('SELECT sqlite_version()')[0].values[0][0]);
		// SQLite's own limit rather than refusing the wasm memory's growth: SQLite handles a failed
		// allocation anywhere (the statement fails with "out of memory", the database intact),
		// whereas sql.js's JS glue does not check malloc's result.
		probe.exec(`PRAGMA hard_heap_limit=${Math.max(1, Math.floor(maxHeapBytes))}`);
		this.#readRow = rowReader(SQL, probe);
		probe.close();
	}

	/** Opens (or replaces) a named database from bytes; empty bytes make a new, empty database. */
	open(name: string, bytes: Uint8Array): SqlSchema {
		const db = new this.#SQL.Database(bytes.length > 0 ? bytes : null);
		let probe: Statement;
		let savepoint: OpenDb['savepoint'];
		try {
			// Temporary b-trees and sorts in SQLite's heap, under its hard heap limit: in a file they
			// would grow sql.js's in-memory file system without bound until the time limit.
			db.exec('PRAGMA temp_store=MEMORY');
			// This connection is the file's only one, so it may keep its lock between transactions:
			// in the default mode every statement's transaction re-checks for a hot journal and
			// re-reads the change counter through sql.js's JS file system, close to half of a short
			// query's time. A zero journal size limit truncates the journal this mode keeps at each
			// commit, so a large write's journal does not stay in memory.
			db.exec('PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_size_limit=0');
			// sql.js reads the header lazily; touching the schema makes bad bytes fail here, not later.
			db.exec('SELECT count(*) FROM sqlite_schema');
			probe = db.prepare('SELECT total_changes()');
			savepoint = [
				db.prepare(`SAVEPOINT ${readOnlySavepoint}`),
				db.prepare(`ROLLBACK TO ${readOnlySavepoint}`),
				db.prepare(`RELEASE ${readOnlySavepoint}`)
			];
		} catch (e) {
			db.close();
			throw new SqlOpenError(`Cannot open database "${name}": ${messageOf(e)}`);
		}
		this.#dbs.get(name)?.db.close();
		this.#dbs.set(name, { db, probe, savepoint, saved: null });
		return readSchema(db, name);
	}

	/** Runs one or more statements; a SQL error is returned as data, never thrown. */
	exec(sql: string, options: SqlExecOptions): SqlExecResult {
		const start = performance.now();
		const entry = this.#dbs.get(options.db);
		if (!entry) {
			return failed(start, {
				type: 'UnknownDatabase',
				message: `No database named "${options.db}" is open`
			});
		}
		const { db } = entry;
		const maxRows = Math.max(0, options.maxRows ?? defaultMaxRows);
		const readOnly = options.readOnly ?? false;
		const run = this.#runStatements(entry, sql, readOnly, maxRows);
		const { sets, statements, error, ddl, rowsAffected } = run;
		const changed = !readOnly && (rowsAffected !== 0 || ddl);
		const last = sets.at(-1);
		const result: SqlExecResult = {
			ok: error === null,
			columns: last?.columns ?? [],
			rows: last?.rows ?? [],
			types: last?.types ?? [],
			rowCount: last?.rowCount ?? 0,
			rowsAffected,
			durationMs: 0,
			truncated: last?.truncated ?? false,
			error,
			sets,
			statements,
			changed
		};
		if (last?.invalidUtf8) result.invalidUtf8 = true;
		if (options.exportAfter === 'always' || (changed && options.exportAfter === 'change')) {
			try {
				result.snapshot = db.export();
			} catch (e) {
				result.snapshotError = messageOf(e);
			}
		}
		result.durationMs = performance.now() - start;
		return result;
	}

	/**
	 * Runs read-only calls in order. sql.js cannot stop a statement, so a call that ran past its
	 * `timeoutMs` is reported afterwards as timed out (as a stopped call would be), its rows dropped.
	 */
	execMany(calls: readonly SqlReadCall[]): SqlExecResult[] {
		return calls.map(({ sql, options }) => {
			const result = this.exec(sql, { ...options, readOnly: true });
			const limit = options.timeoutMs ?? Infinity;
			if (result.durationMs <= limit) return result;
			return sqlFailure(
				{ type: 'Timeout', message: sqlTimeLimitMessage(limit) },
				result.durationMs
			);
		});
	}

	/** Tables and views with columns, keys and row counts. */
	schema(name: string): SqlSchema {
		return readSchema(this.#get(name).db, name);
	}

	/** Remembers the current state of a database for `restore`, and returns its bytes. */
	snapshot(name: string): Uint8Array {
		const entry = this.#get(name);
		entry.saved = entry.db.export();
		return entry.saved.slice();
	}

	/** Puts a database back to its last `snapshot`; throws if it has none. */
	restore(name: string): SqlSchema {
		const saved = this.#get(name).saved;
		if (!saved) throw new Error(`Database "${name}" has no snapshot to restore`);
		const schema = this.open(name, saved);
		this.#get(name).saved = saved;
		return schema;
	}

	/** The database as the bytes of a .sqlite file. */
	exportBytes(name: string): Uint8Array {
		return this.#get(name).db.export();
	}

	/** Names of the open databases. */
	list(): string[] {
		return [...this.#dbs.keys()];
	}

	/** Closes a database and forgets it (no error if it was not open). */
	close(name: string): void {
		this.#dbs.get(name)?.db.close();
		this.#dbs.delete(name);
	}

	/**
	 * Steps each statement of a call. A call that is one SELECT (or VALUES) runs bare: it cannot
	 * write, so it needs neither the read-only savepoint nor the total_changes() probes. Any other
	 * statement is prepared inside the savepoint, since SQLite applies some PRAGMAs while preparing.
	 */
	#runStatements(entry: OpenDb, sql: string, readOnly: boolean, maxRows: number): StatementsRun {
		const run: StatementsRun = {
			sets: [],
			statements: 0,
			error: null,
			ddl: false,
			rowsAffected: 0
		};
		let before: number | null = null;
		let inSavepoint = false;
		const guard = () => {
			if (readOnly && !inSavepoint) inSavepoint = stepOnce(entry.savepoint[0]);
		};
		try {
			if (!readsOnly.test(sql)) guard();
			const statements = entry.db.iterateStatements(sql);
			for (;;) {
				if (run.statements === 1 && !onlyComments.test(statements.getRemainingSQL())) guard();
				const next = statements.next();
				if (next.done) break;
				const stmt = next.value;
				run.statements++;
				const text = stmt.getSQL();
				if (!readsOnly.test(text)) {
					const refusal = readOnly ? readOnlyRefusal(text) : null;
					if (refusal) {
						run.error = { type: 'ReadOnlyViolation', message: refusal, statement: run.statements };
						break;
					}
					before ??= this.#probe(entry);
					run.ddl ||= schemaChanging.test(text);
				}
				const set = runStatement(stmt, maxRows, this.#readRow);
				if (set) run.sets.push(set);
			}
		} catch (e) {
			run.error = { type: 'SqliteError', message: messageOf(e), statement: run.statements + 1 };
		} finally {
			if (before !== null) run.rowsAffected = this.#probe(entry) - before;
			if (inSavepoint) {
				stepOnce(entry.savepoint[1]);
				stepOnce(entry.savepoint[2]);
			}
		}
		return run;
	}

	#get(name: string): OpenDb {
		const entry = this.#dbs.get(name);
		if (!entry) throw new Error(`No database named "${name}" is open`);
		return entry;
	}

	#probe(entry: OpenDb): number {
		try {
			entry.probe.step();
			return Number(entry.probe.get()[0]);
		} finally {
			entry.probe.reset();
		}
	}
}

/** Steps a statement to the end, keeping at most maxRows rows (with their types) but counting all. */
function runStatement(stmt: Statement, maxRows: number, readRow: RowReader): SqlResultSet | null {
	const columns = stmt.getColumnNames();
	if (columns.length === 0) {
		while (stmt.step());
		return null;
	}
	const rows: SqlValue[][] = [];
	const types: string[] = [];
	const set: SqlResultSet = { columns, rows, types, rowCount: 0, truncated: false };
	let rowCount = 0;
	while (stmt.step()) {
		if (rowCount < maxRows) {
			const read = readRow(stmt, set);
			rows.push(read.row);
			types.push(read.types);
		}
		rowCount++;
	}
	set.rowCount = rowCount;
	set.truncated = rowCount > rows.length;
	return set;
}

/** What {@link SqlEngine} learnt from stepping a call's statements. */
interface StatementsRun {
	sets: SqlResultSet[];
	statements: number;
	error: SqlError | null;
	ddl: boolean;
	rowsAffected: number;
}

/** Steps a statement that returns no rows (transaction control), reset for its next use. */
function stepOnce(stmt: Statement): true {
	try {
		stmt.step();
		return true;
	} finally {
		stmt.reset();
	}
}

function failed(start: number, error: SqlError): SqlExecResult {
	return sqlFailure(error, performance.now() - start);
}

function messageOf(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}

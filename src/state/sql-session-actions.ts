// What the SQL session does with its databases (restore, open, run, undo, save, download): a chunk of
// its own, which SqlSession fetches once SQLite is woken, so a Python-only visit never loads it.
import type { SqlExecResult, SqlSampleInfo, SqlSchema, SqlValue } from '../../workers/protocol.ts';
import type { SqlRuntime } from '../core/runtime.ts';
import { loadText, saveText } from './persistence.ts';
import { forgetDb, loadDbs, mayWrite, saveDb } from './saved-databases.ts';

/** A result the grid shows: what a query returned (or a generated one in tests). */
export interface GridResult {
	columns: string[];
	rows: SqlValue[][];
	rowCount: number;
	truncated: boolean;
}

/** Rows kept per result in the playground (the grid is virtualised; memory is the limit). */
export const playgroundMaxRows = 100_000;

/** The session's state the actions read and write (SqlSession's reactive fields). */
export interface SqlSessionFields {
	result: SqlExecResult | null;
	grid: GridResult | null;
	samples: SqlSampleInfo[];
	databases: string[];
	active: string;
	schema: SqlSchema | null;
	canUndo: boolean;
	notice: string;
}

/** What the actions need from the session besides its fields. */
export interface SqlSessionLinks {
	/** The runtime client, once attached. */
	ready(): Promise<SqlRuntime>;
	/** Resolves once the saved/initial database is open. */
	restoring: Promise<void>;
}

/** The SQL session's operations; each says its outcome in the session's fields. */
export class SqlSessionActions {
	// Where each database came from, for saving it; never shown.
	#origins = new Map<string, string>();
	#s: SqlSessionFields;
	#links: SqlSessionLinks;

	constructor(session: SqlSessionFields, links: SqlSessionLinks) {
		this.#s = session;
		this.#links = links;
	}

	/** Reads the list of bundled samples (none when it cannot be read). */
	async loadSamples(): Promise<void> {
		const port = await this.#links.ready();
		this.#s.samples = await port.samples().catch(() => []);
	}

	/** Reopens the databases saved in this browser; then opens `preferred` (a sample) if asked. */
	async restore(preferredSample: string | null, persist: boolean): Promise<void> {
		const s = this.#s;
		const port = await this.#links.ready();
		if (persist) {
			for (const db of await loadDbs()) {
				try {
					await port.open(db.name, db.bytes);
					this.#origins.set(db.name, db.origin);
					s.databases = withName(s.databases, db.name);
				} catch {
					await forgetDb(db.name);
				}
			}
		}
		const want = preferredSample ?? (persist ? loadText('db') : null);
		if (want && s.databases.includes(want) && preferredSample === null) {
			await this.select(want);
		} else if (want && s.samples.some((x) => x.name === want)) {
			await this.openSample(want, persist);
		} else if (s.databases.length > 0) {
			await this.select(s.databases[s.databases.length - 1]);
		} else if (s.samples.length > 0) {
			await this.openSample(s.samples[0].name, persist);
		}
	}

	/** Makes a database the active one and loads its schema. */
	async select(name: string): Promise<void> {
		this.#s.active = name;
		this.#s.canUndo = false;
		saveText('db', name);
		await this.refreshSchema();
	}

	/** Re-reads the active database's schema. */
	async refreshSchema(): Promise<void> {
		const s = this.#s;
		if (!s.active) return;
		const port = await this.#links.ready();
		try {
			s.schema = await port.schema(s.active);
		} catch (e) {
			s.schema = null;
			s.notice = `Could not read the schema: ${message(e)}`;
		}
	}

	/** Opens a bundled sample (re-opening replaces any changes to it). */
	async openSample(name: string, persist: boolean): Promise<void> {
		if (!this.#s.samples.some((x) => x.name === name)) {
			this.#s.notice = `No sample database called “${name}”.`;
			return;
		}
		try {
			const port = await this.#links.ready();
			await this.openBytes(name, await port.fetchSample(name), `sample:${name}`, persist);
		} catch (e) {
			this.#s.notice = `Could not load sample “${name}”: ${message(e)}`;
		}
	}

	/** Opens a database from bytes under a name, makes it active and (optionally) saves it. */
	async openBytes(
		name: string,
		bytes: Uint8Array,
		origin: string,
		persist: boolean
	): Promise<void> {
		const s = this.#s;
		const port = await this.#links.ready();
		try {
			s.schema = await port.open(name, bytes);
		} catch (e) {
			s.notice = `Could not open “${name}”: ${message(e)}`;
			return;
		}
		this.#origins.set(name, origin);
		s.databases = withName(s.databases, name);
		s.active = name;
		s.canUndo = false;
		s.notice = `Opened ${name} (${s.schema.tables.length} tables).`;
		if (persist) {
			saveText('db', name);
			await this.#save(name, bytes);
		}
	}

	async #save(name: string, bytes?: Uint8Array): Promise<void> {
		const port = await this.#links.ready();
		const data = bytes ?? (await port.exportBytes(name));
		const r = await saveDb({
			name,
			bytes: data,
			origin: this.#origins.get(name) ?? 'new',
			savedAt: Date.now()
		});
		if (!r.ok) this.#s.notice = r.message;
	}

	/**
	 * Runs SQL against the active database; snapshots first so the change can be undone. Rejects when
	 * the runtime fails (the session says so).
	 */
	async run(sql: string, persist: boolean): Promise<SqlExecResult | null> {
		const s = this.#s;
		if (!s.active) await this.#links.restoring;
		const db = s.active;
		if (!db) {
			s.notice = 'No database is open: pick a sample or open a .sqlite file.';
			return null;
		}
		const port = await this.#links.ready();
		const writes = mayWrite(sql);
		if (writes) await port.snapshot(db);
		const r = await port.exec(sql, { db, maxRows: playgroundMaxRows });
		s.result = r;
		s.grid = { columns: r.columns, rows: r.rows, rowCount: r.rowCount, truncated: r.truncated };
		if (r.changed || (writes && r.rowsAffected > 0) || r.stopped) {
			s.canUndo = writes && !r.stopped;
			await this.refreshSchema();
			if (persist) await this.#save(db);
		}
		return r;
	}

	/** Puts the active database back as it was before the last changing run. */
	async undo(persist: boolean): Promise<void> {
		const s = this.#s;
		if (!s.canUndo || !s.active) return;
		const port = await this.#links.ready();
		s.schema = await port.restore(s.active);
		s.canUndo = false;
		s.notice = `Undid the last change to ${s.active}.`;
		if (persist) await this.#save(s.active);
	}

	/** Downloads the active database as a .sqlite file. */
	async download(): Promise<void> {
		if (!this.#s.active) return;
		const port = await this.#links.ready();
		await port.download(this.#s.active);
	}
}

function message(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}

/** The list with `name` added at its end, unless it is there already. */
function withName(list: string[], name: string): string[] {
	return list.includes(name) ? list : [...list, name];
}

import type { SqlExecResult, SqlSampleInfo, SqlSchema, SqlValue } from '../../workers/protocol.ts';
import type { SqlRuntime } from '../core/runtime.ts';
import { dbNameFromFile } from '../runtime/sql-files.ts';
import { idleStatus, type LoadStatus } from './load-status.ts';
import { forgetDb, loadDbs, loadText, mayWrite, saveDb, saveText } from './persistence.ts';

/** A result the grid shows: what a query returned (or a generated one in tests). */
export interface GridResult {
	columns: string[];
	rows: SqlValue[][];
	rowCount: number;
	truncated: boolean;
}

/** Rows kept per result in the playground (the grid is virtualised; memory is the limit). */
export const playgroundMaxRows = 100_000;

/** The SQL pane's session: databases, schema, runs, results, undo and persistence. */
export class SqlSession {
	running = $state(false);
	/** The last finished call. */
	result = $state.raw<SqlExecResult | null>(null);
	/** What the grid shows (the last call's rows, replaced wholesale). */
	grid = $state.raw<GridResult | null>(null);
	/** Start-up state of the runtime. */
	load = $state.raw<LoadStatus>(idleStatus);
	/** Bundled samples. */
	samples = $state.raw<SqlSampleInfo[]>([]);
	/** Names of the opened databases. */
	databases = $state.raw<string[]>([]);
	/** Database the editor runs against. */
	active = $state('');
	/** Schema of the active database. */
	schema = $state.raw<SqlSchema | null>(null);
	/** Whether Undo can go back to the state before the last changing run. */
	canUndo = $state(false);
	/** A short message about the last database action (opened, saved, failed …). */
	notice = $state('');

	#port: SqlRuntime | null = null;
	// Where each database came from, for saving it; never shown.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#origins = new Map<string, string>();
	#waiters: ((p: SqlRuntime) => void)[] = [];
	#restored: () => void = () => {};
	// Runs asked for before the saved/initial database is open wait for it.
	#restoring = new Promise<void>((ok) => (this.#restored = ok));

	#wake: (() => void) | null = null;
	#woken = false;

	/** Sets what starts the runtime and restores the databases (run now if already asked for). */
	onWake(start: () => void): void {
		this.#wake = start;
		if (this.#woken) start();
	}

	/**
	 * Asks for the SQL runtime and the saved databases: the SQL pane once shown, an embedding host's
	 * SQL, or the page once idle. Until then SQLite is not loaded at all. Idempotent.
	 */
	wake(): void {
		if (this.#woken) return;
		this.#woken = true;
		this.#wake?.();
	}

	/** Resolves once the saved/initial database is open (waking the runtime). */
	async whenRestored(): Promise<void> {
		this.wake();
		await this.#restoring;
	}

	/** Connects the runtime client once it exists. */
	attach(port: SqlRuntime): void {
		this.#port = port;
		for (const w of this.#waiters.splice(0)) w(port);
	}

	#ready(): Promise<SqlRuntime> {
		return this.#port ? Promise.resolve(this.#port) : new Promise((ok) => this.#waiters.push(ok));
	}

	/** Reads the list of bundled samples (none when it cannot be read). */
	async loadSamples(): Promise<void> {
		const port = await this.#ready();
		this.samples = await port.samples().catch(() => []);
	}

	/** Reopens the databases saved in this browser; then opens `preferred` (a sample) if asked. */
	async restore(preferredSample: string | null, persist: boolean): Promise<void> {
		try {
			await this.#restore(preferredSample, persist);
		} finally {
			this.#restored();
		}
	}

	async #restore(preferredSample: string | null, persist: boolean): Promise<void> {
		const port = await this.#ready();
		if (persist) {
			for (const db of await loadDbs()) {
				try {
					await port.open(db.name, db.bytes);
					this.#origins.set(db.name, db.origin);
					this.databases = withName(this.databases, db.name);
				} catch {
					await forgetDb(db.name);
				}
			}
		}
		const want = preferredSample ?? (persist ? loadText('db') : null);
		if (want && this.databases.includes(want) && preferredSample === null) {
			await this.select(want);
		} else if (want && this.samples.some((s) => s.name === want)) {
			await this.openSample(want, persist);
		} else if (this.databases.length > 0) {
			await this.select(this.databases[this.databases.length - 1]);
		} else if (this.samples.length > 0) {
			await this.openSample(this.samples[0].name, persist);
		}
	}

	/** Makes a database the active one and loads its schema. */
	async select(name: string): Promise<void> {
		this.active = name;
		this.canUndo = false;
		saveText('db', name);
		await this.refreshSchema();
	}

	/** Re-reads the active database's schema. */
	async refreshSchema(): Promise<void> {
		if (!this.active) return;
		const port = await this.#ready();
		try {
			this.schema = await port.schema(this.active);
		} catch (e) {
			this.schema = null;
			this.notice = `Could not read the schema: ${e instanceof Error ? e.message : String(e)}`;
		}
	}

	/** Opens a bundled sample (re-opening replaces any changes to it). */
	async openSample(name: string, persist = true): Promise<void> {
		if (!this.samples.some((s) => s.name === name)) {
			this.notice = `No sample database called “${name}”.`;
			return;
		}
		try {
			const port = await this.#ready();
			await this.openBytes(name, await port.fetchSample(name), `sample:${name}`, persist);
		} catch (e) {
			this.notice = `Could not load sample “${name}”: ${e instanceof Error ? e.message : String(e)}`;
		}
	}

	/** Opens a .sqlite file the user picked or dropped. */
	async openFile(file: File, persist = true): Promise<void> {
		const name = dbNameFromFile(file.name);
		await this.openBytes(
			name,
			new Uint8Array(await file.arrayBuffer()),
			`file:${file.name}`,
			persist
		);
	}

	/** Opens a database from bytes under a name, makes it active and (optionally) saves it. */
	async openBytes(name: string, bytes: Uint8Array, origin: string, persist = true): Promise<void> {
		const port = await this.#ready();
		try {
			this.schema = await port.open(name, bytes);
		} catch (e) {
			this.notice = `Could not open “${name}”: ${e instanceof Error ? e.message : String(e)}`;
			return;
		}
		this.#origins.set(name, origin);
		this.databases = withName(this.databases, name);
		this.active = name;
		this.canUndo = false;
		this.notice = `Opened ${name} (${this.schema.tables.length} tables).`;
		if (persist) {
			saveText('db', name);
			await this.#save(name, bytes);
		}
	}

	async #save(name: string, bytes?: Uint8Array): Promise<void> {
		const port = await this.#ready();
		const data = bytes ?? (await port.exportBytes(name));
		const r = await saveDb({
			name,
			bytes: data,
			origin: this.#origins.get(name) ?? 'new',
			savedAt: Date.now()
		});
		if (!r.ok) this.notice = r.message;
	}

	/** Runs SQL against the active database; snapshots first so the change can be undone. */
	async run(sql: string, persist = true): Promise<SqlExecResult | null> {
		if (this.running) return null;
		this.running = true;
		try {
			if (!this.active) await this.#restoring;
			const db = this.active;
			if (!db) {
				this.notice = 'No database is open: pick a sample or open a .sqlite file.';
				return null;
			}
			const port = await this.#ready();
			const writes = mayWrite(sql);
			if (writes) await port.snapshot(db);
			const r = await port.exec(sql, { db, maxRows: playgroundMaxRows });
			this.result = r;
			this.grid = {
				columns: r.columns,
				rows: r.rows,
				rowCount: r.rowCount,
				truncated: r.truncated
			};
			if (r.changed || (writes && r.rowsAffected > 0) || r.stopped) {
				this.canUndo = writes && !r.stopped;
				await this.refreshSchema();
				if (persist) await this.#save(db);
			}
			return r;
		} catch (e) {
			this.notice = `SQL runtime failed: ${e instanceof Error ? e.message : String(e)}`;
			return null;
		} finally {
			this.running = false;
		}
	}

	/** Shows a result in the grid without running anything (used to test the grid at scale). */
	show(grid: GridResult): void {
		this.grid = grid;
	}

	/** Ends the current call. */
	stop(): void {
		if (this.running && this.#port) void this.#port.stop();
	}

	/** Puts the active database back as it was before the last changing run. */
	async undo(persist = true): Promise<void> {
		if (!this.canUndo || !this.active) return;
		const port = await this.#ready();
		this.schema = await port.restore(this.active);
		this.canUndo = false;
		this.notice = `Undid the last change to ${this.active}.`;
		if (persist) await this.#save(this.active);
	}

	/** Downloads the active database as a .sqlite file. */
	async download(): Promise<void> {
		if (!this.active) return;
		const port = await this.#ready();
		await port.download(this.active);
	}
}

/** The list with `name` added at its end, unless it is there already. */
function withName(list: string[], name: string): string[] {
	return list.includes(name) ? list : [...list, name];
}

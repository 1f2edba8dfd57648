import type { SqlExecResult, SqlSampleInfo, SqlSchema } from '../../workers/protocol.ts';
import type { SqlRuntime } from '../core/runtime.ts';
import { dbNameFromFile } from '../runtime/sql-files.ts';
import { idleStatus, type LoadStatus } from './load-status.ts';
import type { GridResult, SqlSessionActions } from './sql-session-actions.ts';

export type { GridResult } from './sql-session-actions.ts';

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
	#waiters: ((p: SqlRuntime) => void)[] = [];
	#restored: () => void = () => {};
	// Runs asked for before the saved/initial database is open wait for it.
	#restoring = new Promise<void>((ok) => (this.#restored = ok));

	#wake: (() => void) | null = null;
	#woken = false;
	#actions: Promise<SqlSessionActions> | null = null;

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

	// The operations are a chunk of their own, fetched on their first use (once SQLite is woken),
	// so the first screen does without them.
	#act(): Promise<SqlSessionActions> {
		this.#actions ??= import('./sql-session-actions.ts').then(
			(m) =>
				new m.SqlSessionActions(this, { ready: () => this.#ready(), restoring: this.#restoring }),
			(e: unknown) => {
				this.#actions = null;
				throw e;
			}
		);
		return this.#actions;
	}

	/** Reads the list of bundled samples (none when it cannot be read). */
	async loadSamples(): Promise<void> {
		await (await this.#act()).loadSamples();
	}

	/** Reopens the databases saved in this browser; then opens `preferred` (a sample) if asked. */
	async restore(preferredSample: string | null, persist: boolean): Promise<void> {
		try {
			await (await this.#act()).restore(preferredSample, persist);
		} finally {
			this.#restored();
		}
	}

	/** Makes a database the active one and loads its schema. */
	async select(name: string): Promise<void> {
		await (await this.#act()).select(name);
	}

	/** Re-reads the active database's schema. */
	async refreshSchema(): Promise<void> {
		await (await this.#act()).refreshSchema();
	}

	/** Opens a bundled sample (re-opening replaces any changes to it). */
	async openSample(name: string, persist = true): Promise<void> {
		await (await this.#act()).openSample(name, persist);
	}

	/** Opens a .sqlite file the user picked or dropped. */
	async openFile(file: File, persist = true): Promise<void> {
		const bytes = new Uint8Array(await file.arrayBuffer());
		await this.openBytes(dbNameFromFile(file.name), bytes, `file:${file.name}`, persist);
	}

	/** Opens a database from bytes under a name, makes it active and (optionally) saves it. */
	async openBytes(name: string, bytes: Uint8Array, origin: string, persist = true): Promise<void> {
		await (await this.#act()).openBytes(name, bytes, origin, persist);
	}

	/** Runs SQL against the active database; snapshots first so the change can be undone. */
	async run(sql: string, persist = true): Promise<SqlExecResult | null> {
		if (this.running) return null;
		this.running = true;
		try {
			return await (await this.#act()).run(sql, persist);
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
		await (await this.#act()).undo(persist);
	}

	/** Downloads the active database as a .sqlite file. */
	async download(): Promise<void> {
		await (await this.#act()).download();
	}
}

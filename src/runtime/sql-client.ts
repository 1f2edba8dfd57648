import type { Remote } from 'comlink';
import type { SqlRuntime } from '../core/runtime.ts';
import type {
	SqlExecOptions,
	SqlExecResult,
	SqlReadCall,
	SqlSampleInfo,
	SqlSchema,
	SqlStopInfo,
	SqlWorkerApi
} from '../../workers/protocol.ts';
import { defaultSqlHeapBytes } from '../../workers/protocol.ts';
import { dbNameFromFile, downloadDatabase, fetchSample, listSamples } from './sql-files.ts';
import { compileSqlWasm, type SqlLoadProgress } from './sql-wasm.ts';
import { stoppedResult, type SqlRecovery } from './sql-stop.ts';
import { SqlSupervisor } from './sql-supervisor.ts';

/** Options of {@link SqlClient}; every default suits the built app. */
export interface SqlClientOptions {
	/** sql-wasm.wasm; default ./vendor/sql/sql-wasm.wasm next to the page. */
	wasmURL?: string | URL;
	/** Folder with index.json and <name>.sqlite; default ./samples/ next to the page. */
	samplesURL?: string | URL;
	/** Makes a fresh SQL worker (also after every hard stop). */
	createWorker?: () => Worker;
	/** Time limit of a call when `exec` is not given one. Default 10 000 ms. */
	defaultTimeoutMs?: number;
	/** Databases larger than this are not re-exported after each change (stop then loses changes). */
	autoSnapshotMaxBytes?: number;
	/** Bytes SQLite may allocate (its hard heap limit); past it a query fails "out of memory". Default 512 MiB. */
	maxHeapBytes?: number;
}

/** Options of {@link SqlClient.exec}. */
export type SqlClientExecOptions = Omit<SqlExecOptions, 'exportAfter'> & { signal?: AbortSignal };

/** What `ready` resolves to. */
export interface SqlReadyInfo {
	sqliteVersion: string;
	/** From the start to a worker that answers, in ms. */
	readyMs: number;
	/** From the start to sql-wasm.wasm downloaded and compiled, in ms. */
	compiledMs: number;
}

/**
 * Main-thread client of the SQL worker: serialises calls, stops runaway ones, restores databases.
 * The worker starts on first use (any call, `ready` or `start()`), not at construction.
 */
export class SqlClient implements SqlRuntime {
	/** The latest start-up progress ('idle' until the worker is started). */
	progress: SqlLoadProgress = { stage: 'idle', progress: null, detail: 'starts when used' };

	readonly #options: Required<Omit<SqlClientOptions, 'createWorker'>>;
	readonly #createWorker: () => Worker;
	#worker: SqlSupervisor | null = null;
	readonly #listeners = new Set<(p: SqlLoadProgress) => void>();
	readonly #dbs = new Map<string, SqlRecovery>();
	readonly #undo = new Map<string, Uint8Array>();
	#module: Promise<WebAssembly.Module> | null = null;
	#ready: Promise<SqlReadyInfo> | null = null;
	#queue: Promise<unknown> = Promise.resolve();
	#started = false;

	constructor(options: SqlClientOptions = {}) {
		const base = typeof document === 'undefined' ? location.href : document.baseURI;
		this.#options = {
			wasmURL: options.wasmURL ?? new URL('./vendor/sql/sql-wasm.wasm', base),
			samplesURL: options.samplesURL ?? new URL('./samples/', base),
			defaultTimeoutMs: options.defaultTimeoutMs ?? 10_000,
			autoSnapshotMaxBytes: options.autoSnapshotMaxBytes ?? 64 * 1024 * 1024,
			maxHeapBytes: options.maxHeapBytes ?? defaultSqlHeapBytes
		};
		this.#createWorker =
			options.createWorker ??
			(() =>
				new Worker(new URL('../../workers/sql.worker.ts', import.meta.url), {
					type: 'module',
					name: 'execlab-sql'
				}));
	}

	/** Resolves once sql.js answers in the worker (starting it if needed); rejects if it cannot load. */
	get ready(): Promise<SqlReadyInfo> {
		return this.start();
	}

	/** Whether the worker was started (by a call, `ready` or `start()`). */
	get started(): boolean {
		return this.#ready !== null;
	}

	/** Starts the worker and compiles sql-wasm.wasm (meanwhile, in the page); idempotent. */
	start(): Promise<SqlReadyInfo> {
		if (this.#ready) return this.#ready;
		const started = performance.now();
		const worker = (this.#worker = new SqlSupervisor(this.#createWorker, {
			maxHeapBytes: this.#options.maxHeapBytes
		}));
		this.#module = compileSqlWasm(this.#options.wasmURL, (p) => this.#report(p));
		let compiledMs = 0;
		this.#ready = this.#module
			.then((wasmModule) => {
				compiledMs = performance.now() - started;
				return worker.init(wasmModule);
			})
			.then(({ sqliteVersion }) => {
				this.#report({ stage: 'ready', progress: 1, detail: `SQLite ${sqliteVersion}` });
				return { sqliteVersion, readyMs: performance.now() - started, compiledMs };
			})
			.catch((e: unknown) => {
				this.#report({ stage: 'error', progress: null, detail: String(e) });
				throw e;
			});
		this.#ready.then(() => (this.#started = true)).catch(() => undefined);
		return this.#ready;
	}

	/** Calls `listener` with every start-up progress (and now with the latest); returns an unsubscribe. */
	onProgress(listener: (p: SqlLoadProgress) => void): () => void {
		this.#listeners.add(listener);
		listener(this.progress);
		return () => this.#listeners.delete(listener);
	}

	/** Runs SQL; errors, time-outs and stops come back as data (`ok: false`, `stopped`). */
	exec(sql: string, options: SqlClientExecOptions): Promise<SqlExecResult> {
		const { signal, ...wire } = options;
		const timeoutMs = options.timeoutMs ?? this.#options.defaultTimeoutMs;
		return this.#enqueue(async () => {
			const started = performance.now();
			if (signal?.aborted) return notStarted();
			const rec = this.#dbs.get(options.db);
			const exportAfter =
				rec === undefined || rec.bytes.length > this.#options.autoSnapshotMaxBytes
					? undefined
					: rec.stale
						? 'always'
						: 'change';
			const outcome = await this.#execGuarded(
				(api) => api.exec(sql, { ...wire, exportAfter }),
				timeoutMs,
				signal
			);
			if ('stopped' in outcome) {
				return stoppedResult(outcome.stopped, performance.now() - started, timeoutMs);
			}
			const result = outcome.value;
			if (rec && result.snapshot) {
				rec.bytes = result.snapshot;
				rec.stale = null;
			} else if (rec && result.changed) {
				rec.stale ??= result.snapshotError
					? `a change could not be saved: ${result.snapshotError}`
					: `too large (${rec.bytes.length} bytes) to re-save after each change`;
			}
			delete result.snapshot;
			delete result.snapshotError;
			return result;
		});
	}

	/** Runs read-only calls in one worker message (see {@link SqlRuntime.execMany}). */
	execMany(calls: SqlReadCall[], options: { signal?: AbortSignal } = {}): Promise<SqlExecResult[]> {
		const { signal } = options;
		const limited = calls.map(({ sql, options }) => ({
			sql,
			options: { ...options, timeoutMs: options.timeoutMs ?? this.#options.defaultTimeoutMs }
		}));
		// The worker cannot be interrupted mid-batch: the batch as a whole gets the largest limit.
		const limit = Math.max(0, ...limited.map((c) => c.options.timeoutMs));
		return this.#enqueue(async () => {
			signal?.throwIfAborted();
			const outcome = await this.#execGuarded((api) => api.execMany(limited), limit, signal);
			if ('stopped' in outcome) {
				const { reason, lost } = outcome.stopped;
				const why = reason === 'user' ? 'stopped' : `past its ${limit} ms limit`;
				throw new Error(`SQL batch of ${calls.length} calls ${why}; ${lost}`);
			}
			return outcome.value;
		});
	}

	/** Stops the call in progress (as a user stop); queued calls then run in the new worker. */
	stop(): void {
		// Before the start is done no user code runs (exec waits for it), so there is nothing to stop.
		if (this.#started) this.#worker?.stop();
	}

	/** How many times the worker was terminated and respawned. */
	get restarts(): number {
		return this.#worker?.restarts ?? 0;
	}

	/**
	 * Opens (or replaces) a database from the bytes of a .sqlite file; empty bytes make a new one.
	 * The client keeps `bytes` (not a copy) to reopen the database after a stop: do not modify them.
	 */
	open(name: string, bytes: Uint8Array | ArrayBuffer): Promise<SqlSchema> {
		const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
		return this.#call(async (api) => {
			const schema = await api.open(name, data);
			this.#dbs.set(name, { bytes: data, stale: null });
			this.#undo.delete(name);
			return schema;
		});
	}

	/** Opens a user's .sqlite file; the database is named after the file unless `name` is given. */
	async openFile(file: File, name = dbNameFromFile(file.name)): Promise<SqlSchema> {
		return this.open(name, new Uint8Array(await file.arrayBuffer()));
	}

	/** Lists the bundled sample databases (a fetch: the worker is not started). */
	samples(): Promise<SqlSampleInfo[]> {
		return listSamples(this.#options.samplesURL);
	}

	/** The .sqlite bytes of a bundled sample (e.g. "school", "shop"), without opening it. */
	fetchSample(name: string): Promise<Uint8Array> {
		return fetchSample(this.#options.samplesURL, name);
	}

	/** Fetches a bundled sample and opens it under `as` (default its name). */
	async openSample(name: string, as = name): Promise<SqlSchema> {
		return this.open(as, await this.fetchSample(name));
	}

	/** Tables, views, columns, keys and row counts. */
	schema(db: string): Promise<SqlSchema> {
		return this.#call((api) => api.schema(db));
	}

	/** Remembers the database's current state as its undo point (kept here, so it survives stops). */
	snapshot(db: string): Promise<void> {
		return this.#call(async (api) => {
			this.#undo.set(db, await api.exportBytes(db));
		});
	}

	/** Puts a database back to its undo point; throws when it has none. */
	restore(db: string): Promise<SqlSchema> {
		const saved = this.#undo.get(db);
		if (!saved) return Promise.reject(new Error(`Database "${db}" has no snapshot to restore`));
		return this.open(db, saved.slice()).then((schema) => {
			this.#undo.set(db, saved);
			return schema;
		});
	}

	/** The database as the bytes of a .sqlite file. */
	exportBytes(db: string): Promise<Uint8Array> {
		return this.#call((api) => api.exportBytes(db));
	}

	/** Saves the database as a .sqlite file (default `<db>.sqlite`) through the browser's download. */
	async download(db: string, fileName?: string): Promise<void> {
		downloadDatabase(await this.exportBytes(db), db, fileName);
	}

	/** Names of the open databases. */
	list(): string[] {
		return [...this.#dbs.keys()];
	}

	/** Closes a database and forgets its snapshots. */
	close(db: string): Promise<void> {
		return this.#call(async (api) => {
			await api.close(db);
			this.#dbs.delete(db);
			this.#undo.delete(db);
		});
	}

	/** Ends the worker for good. */
	dispose(): void {
		this.#worker?.terminate();
	}

	// Set by start(), which every call goes through (#enqueue) before it reaches the worker.
	get #supervisor(): SqlSupervisor {
		if (!this.#worker) throw new Error('SQL worker used before start()');
		return this.#worker;
	}

	#report(p: SqlLoadProgress): void {
		this.progress = p;
		for (const l of this.#listeners) l(p);
	}

	// `early` calls go to the worker at once, even while it starts: it holds them until its init
	// (posted as soon as the wasm is compiled) is done, so a first `open` waits for one reply from a
	// busy main thread instead of two. Only calls without a time limit or signal go early (exec
	// waits for the start, so its clock and Stop never cover it); a failed start ends them.
	#enqueue<T>(task: () => Promise<T>, early = false): Promise<T> {
		const ready = this.start();
		const run = this.#queue.then(() =>
			early
				? Promise.race([task(), ready.then(() => new Promise<never>(() => {}))])
				: ready.then(task)
		);
		this.#queue = run.catch(() => undefined);
		return run;
	}

	// An exec-like call under its limit and signal. SqlEngine returns every SQL error as data, so a
	// rejected call means sql.js itself broke (e.g. an Emscripten abort after running out of
	// memory): treated like a crash. A stopped call's worker is replaced, its databases reopened.
	async #execGuarded<T>(
		fn: (api: Remote<SqlWorkerApi>) => Promise<T>,
		timeoutMs: number,
		signal: AbortSignal | undefined
	): Promise<{ value: T } | { stopped: SqlStopInfo }> {
		const outcome = await this.#supervisor
			.guard(fn, timeoutMs, signal)
			.catch((e: unknown) => ({ crashed: e instanceof Error ? e.message : String(e) }));
		if ('crashed' in outcome) throw await this.#crashError(outcome.crashed);
		if ('stopped' in outcome) {
			return {
				stopped: await this.#supervisor.recover(outcome.stopped, await this.#module!, this.#dbs)
			};
		}
		return outcome;
	}

	// Non-exec calls: no time limit (they are quick), but a stop or crash still recovers the worker.
	#call<T>(fn: (api: Remote<SqlWorkerApi>) => Promise<T>): Promise<T> {
		return this.#enqueue(async () => {
			const outcome = await this.#supervisor.guard(fn, Infinity);
			if ('value' in outcome) return outcome.value;
			if ('crashed' in outcome) throw await this.#crashError(outcome.crashed);
			const info = await this.#supervisor.recover(outcome.stopped, await this.#module!, this.#dbs);
			throw new Error(`SQL call stopped (${outcome.stopped}); ${info.lost}`);
		}, true);
	}

	async #crashError(message: string): Promise<Error> {
		const info = await this.#supervisor
			.recover('user', await this.#module!, this.#dbs)
			.catch((e: unknown) => ({
				lost: `recovery failed: ${e}`
			}));
		return new Error(`The SQL worker crashed (${message}); it was restarted: ${info.lost}`);
	}
}

/** The result of a call whose AbortSignal had fired before it could start. */
function notStarted(): SqlExecResult {
	const { stopped: _, ...result } = stoppedResult(
		{ reason: 'user', restored: true, lost: '', restoredDbs: [], lostDbs: [] },
		0,
		0
	);
	return { ...result, error: { type: 'Stopped', message: 'SQL call aborted before it started' } };
}

import { wrap, type Remote } from 'comlink';
import type { SqlInitOptions, SqlStopInfo, SqlWorkerApi } from '../../workers/protocol.ts';
import { describeLoss, type SqlRecovery } from './sql-stop.ts';

/** How a guarded worker call ended. */
export type SqlOutcome<T> = { value: T } | { stopped: 'user' | 'timeout' } | { crashed: string };

/**
 * Owns the SQL worker: runs one call at a time under a time limit and an AbortSignal, and when a
 * call must end, terminates the worker and reopens every database in a fresh one.
 */
export class SqlSupervisor {
	/** How many times the worker was terminated and respawned. */
	restarts = 0;
	readonly #createWorker: () => Worker;
	readonly #settings: Pick<SqlInitOptions, 'maxHeapBytes'>;
	#worker!: Worker;
	#api!: Remote<SqlWorkerApi>;
	#interrupt: ((o: SqlOutcome<never>) => void) | null = null;
	// Settles with the message of the current worker's first error event.
	#failed!: Promise<string>;

	/** `settings` go to every worker's init, the respawned ones' too (e.g. the SQLite heap cap). */
	constructor(createWorker: () => Worker, settings: Pick<SqlInitOptions, 'maxHeapBytes'> = {}) {
		this.#createWorker = createWorker;
		this.#settings = settings;
		this.#spawn();
	}

	/** The current worker's API (replaced after every respawn). */
	get api(): Remote<SqlWorkerApi> {
		return this.#api;
	}

	/**
	 * Loads sql.js in the current worker; rejects, rather than waiting forever, when the worker
	 * failed or fails first (its script cannot load, or it throws while starting).
	 */
	init(wasmModule: WebAssembly.Module): Promise<{ sqliteVersion: string }> {
		const failed = this.#failed.then((message) => {
			throw new Error(`The SQL worker could not start: ${message}`);
		});
		return Promise.race([this.#api.init({ ...this.#settings, wasmModule }), failed]);
	}

	/** Ends the call in progress, if any, as a user stop. */
	stop(): void {
		this.#interrupt?.({ stopped: 'user' });
	}

	/** Runs one worker call; resolves with its value, or with why it was cut short. */
	guard<T>(
		fn: (api: Remote<SqlWorkerApi>) => Promise<T>,
		timeoutMs: number,
		signal?: AbortSignal
	): Promise<SqlOutcome<T>> {
		return new Promise((resolve, reject) => {
			let timer: ReturnType<typeof setTimeout> | undefined;
			const onAbort = () => finish({ stopped: 'user' });
			const finish = (o: SqlOutcome<T> | null, error?: unknown) => {
				if (this.#interrupt !== interrupt) return;
				this.#interrupt = null;
				clearTimeout(timer);
				signal?.removeEventListener('abort', onAbort);
				if (o) resolve(o);
				else reject(error);
			};
			const interrupt = (o: SqlOutcome<never>) => finish(o);
			this.#interrupt = interrupt;
			if (Number.isFinite(timeoutMs)) {
				timer = setTimeout(() => finish({ stopped: 'timeout' }), timeoutMs);
			}
			signal?.addEventListener('abort', onAbort, { once: true });
			fn(this.#api).then(
				(value) => finish({ value }),
				(error: unknown) => finish(null, error)
			);
		});
	}

	// sql.js cannot abort a running statement (sql.js issues 461/545): end the worker, start a new
	// one from the compiled module, and reopen every database from the bytes the client kept.
	/** Replaces the worker and reopens `dbs` in the new one; says what was restored and lost. */
	async recover(
		reason: 'user' | 'timeout',
		wasmModule: WebAssembly.Module,
		dbs: Map<string, SqlRecovery>
	): Promise<SqlStopInfo> {
		this.#worker.terminate();
		this.restarts++;
		this.#spawn();
		await this.init(wasmModule);
		const restoredDbs: string[] = [];
		const lostDbs: string[] = [];
		for (const [name, rec] of dbs) {
			try {
				await this.#api.open(name, rec.bytes);
				restoredDbs.push(name);
			} catch {
				lostDbs.push(name);
			}
		}
		const lost = describeLoss(restoredDbs, lostDbs, dbs);
		for (const name of lostDbs) dbs.delete(name);
		for (const rec of dbs.values()) rec.stale = null;
		return { reason, restored: lostDbs.length === 0, lost, restoredDbs, lostDbs };
	}

	/** Ends the worker for good. */
	terminate(): void {
		this.#worker.terminate();
	}

	#spawn(): void {
		const worker = (this.#worker = this.#createWorker());
		this.#failed = new Promise((resolve) => {
			worker.addEventListener('error', (e) => {
				// A script that cannot load fires a plain Event, without a message.
				const message = (e as Partial<ErrorEvent>).message || 'its script failed to load or run';
				resolve(message);
				this.#interrupt?.({ crashed: message });
			});
		});
		this.#api = wrap<SqlWorkerApi>(this.#worker);
	}
}

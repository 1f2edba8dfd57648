// Where the client's workers come from: a fresh spawn (from the memory snapshot when there is one)
// or a warm spare booted ahead of need, so that a hard stop costs a terminate plus a replay instead
// of a whole Pyodide start. Also keeps the snapshot bytes in memory and in the snapshot store.
import type { PythonInitInfo } from '../../workers/protocol.ts';
import { indexedDbSnapshotStore, type SnapshotStore } from './python-snapshot-store.ts';
import { spawnPythonWorker, type PythonWorkerHandle } from './python-worker-handle.ts';

/** Start-up progress reported to the page (same shape as the SQL client's). */
export interface PythonLoadProgress {
	stage: 'download' | 'start' | 'ready' | 'error';
	/** 0..1 within the stage when known. */
	progress: number | null;
	/** E.g. "from snapshot", "restarting after a hard stop", the error message. */
	detail: string;
	info?: PythonInitInfo;
}

/** What the supply needs from the client. */
export interface WorkerSupplyOptions {
	createWorker: () => Worker;
	indexURL: string;
	/** Cross-origin isolated: workers get shared memory. */
	shared: boolean;
	store: SnapshotStore | null;
	onInputRequest: (prompt: string, stdin: SharedArrayBuffer | null) => void;
	report: (progress: PythonLoadProgress) => void;
}

/** Spawns workers, keeps one warm spare once asked to, and persists the memory snapshot. */
export class WorkerSupply {
	/** What the latest worker handed out reported at init. */
	info: PythonInitInfo | null = null;
	#options: WorkerSupplyOptions;
	#snapshot: Uint8Array | null = null;
	#wasmModule: WebAssembly.Module | null = null;
	#spare: Promise<PythonWorkerHandle | null> | null = null;

	constructor(options: WorkerSupplyOptions) {
		this.#options = options;
	}

	/** A ready worker: the spare when one is (being) booted, else a fresh spawn with progress. */
	async take(): Promise<PythonWorkerHandle> {
		const spare = this.#spare;
		this.#spare = null;
		const warm = spare ? await spare : null;
		if (warm && !warm.dead) {
			this.info = warm.info;
			this.#options.report({ stage: 'ready', progress: 1, detail: 'restarted', info: warm.info });
			return warm;
		}
		return this.#spawnReported();
	}

	/** Boots a spare worker in the background (once), when the snapshot makes that cheap. */
	prepareSpare(): void {
		if (this.#spare || !this.#snapshot) return;
		this.#spare = this.#spawn(false).catch(() => null);
	}

	/** Lends the spare (booting it first if needed) for other work, e.g. a parallel batch lane. */
	async borrowSpare(): Promise<PythonWorkerHandle | null> {
		this.prepareSpare();
		const spare = this.#spare;
		this.#spare = null;
		const handle = spare ? await spare : null;
		return handle && !handle.dead ? handle : null;
	}

	/** Takes a lent worker back as the spare; terminates it when broken or when a spare exists. */
	returnSpare(handle: PythonWorkerHandle, broken: boolean): void {
		if (broken || handle.dead || this.#spare) handle.terminate();
		else this.#spare = Promise.resolve(handle);
	}

	/** Terminates the spare, if any. */
	dispose(): void {
		void this.#spare?.then((h) => h?.terminate());
		this.#spare = null;
	}

	async #spawnReported(): Promise<PythonWorkerHandle> {
		const restart = this.info !== null;
		const detail = restart ? 'restarting Python' : '';
		const report = this.#options.report;
		report({ stage: restart ? 'start' : 'download', progress: null, detail });
		const handle = await this.#spawn(true, () =>
			report({ stage: 'start', progress: null, detail })
		).catch((error: unknown) => {
			const message = error instanceof Error ? error.message : String(error);
			report({ stage: 'error', progress: null, detail: message });
			throw error;
		});
		this.info = handle.info;
		const how = handle.info.fromSnapshot ? 'from snapshot' : `Python ${handle.info.pythonVersion}`;
		report({ stage: 'ready', progress: 1, detail: how, info: handle.info });
		return handle;
	}

	async #spawn(mayMakeSnapshot: boolean, onLoaded?: () => void): Promise<PythonWorkerHandle> {
		const { store } = this.#options;
		const snapshot = this.#snapshot ?? (store ? store.load().catch(() => null) : null);
		const makeSnapshot = mayMakeSnapshot && store !== null && this.#snapshot === null;
		const handle = await spawnPythonWorker({
			createWorker: this.#options.createWorker,
			indexURL: this.#options.indexURL,
			shared: this.#options.shared,
			snapshot,
			makeSnapshot,
			wasmModule: this.#wasmModule,
			onInputRequest: this.#options.onInputRequest,
			onLoaded
		});
		this.#wasmModule ??= handle.wasmModule;
		const bytes = await snapshot;
		if (handle.info.fromSnapshot) this.#snapshot = bytes;
		else if (bytes) {
			this.#snapshot = null;
			void store?.clear().catch(() => undefined);
		}
		if (handle.snapshot) {
			this.#snapshot = handle.snapshot;
			handle.snapshot = null;
			this.#saveSoon(this.#snapshot);
		}
		return handle;
	}

	// When the page is idle: IndexedDB writes of tens of MB should not delay the first results.
	#saveSoon(bytes: Uint8Array): void {
		const store = this.#options.store;
		if (!store) return;
		const idle = (globalThis as { requestIdleCallback?: (cb: () => void) => void })
			.requestIdleCallback;
		(idle ?? ((cb: () => void) => setTimeout(cb, 0)))(() => {
			store.save(bytes).then(
				() =>
					this.#options.report({
						stage: 'ready',
						progress: 1,
						detail: 'snapshot saved for fast start'
					}),
				() => undefined
			);
		});
	}
}

/** Builds the supply from the client's options, with the browser defaults filled in. */
export function createWorkerSupply(
	options: { indexURL?: string; createWorker?: () => Worker; snapshotStore?: SnapshotStore | null },
	wiring: Pick<WorkerSupplyOptions, 'shared' | 'onInputRequest' | 'report'>
): WorkerSupply {
	const store =
		options.snapshotStore !== undefined
			? options.snapshotStore
			: typeof indexedDB === 'undefined'
				? null
				: indexedDbSnapshotStore();
	return new WorkerSupply({
		...wiring,
		createWorker: options.createWorker ?? defaultWorker,
		indexURL: options.indexURL ?? new URL('./vendor/pyodide/', document.baseURI).href,
		store
	});
}

function defaultWorker(): Worker {
	return new Worker(new URL('../../workers/python.worker.ts', import.meta.url), {
		type: 'module',
		name: 'execlab-python'
	});
}

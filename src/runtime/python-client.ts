// The page's handle on the Python worker: starts it (from a memory snapshot when one is stored),
// serialises calls, enforces wall-time budgets (interrupt, then hard stop + session rebuild),
// recycles the worker past the heap budget, answers input(), and runs evaluation batches.
import { proxy } from 'comlink';
import {
	defaultPythonBudgets,
	type EvalSample,
	type EvalSampleResult,
	type OutputListener,
	type PythonBudgets,
	type PythonInitInfo,
	type PythonRunOptions,
	type PythonRunResult
} from '../../workers/protocol.ts';
import { answerInput, inputPending } from '../../workers/python-shared-memory.ts';
import { detectIsolation, type IsolationMode } from './isolation.ts';
import { runBatch, type RunManyRequest } from './python-batch.ts';
import { indexedDbSnapshotStore, type SnapshotStore } from './python-snapshot-store.ts';
import {
	createSharedBuffers,
	spawnPythonWorker,
	type PythonSharedBuffers,
	type PythonWorkerHandle
} from './python-worker-handle.ts';
import { Rebuilder, type HistoryEntry, type RebuildReport } from './python-rebuild.ts';

export type { RunManyRequest } from './python-batch.ts';

/** Answers input(); null means EOF. */
export type InputHandler = (prompt: string) => Promise<string | null>;

/** Start-up progress reported to the page (same shape as the SQL client's). */
export interface PythonLoadProgress {
	stage: 'download' | 'start' | 'ready' | 'error';
	/** 0..1 within the stage when known. */
	progress: number | null;
	/** E.g. "from snapshot", "restarting after a hard stop", the error message. */
	detail: string;
	info?: PythonInitInfo;
}

/** How to build a {@link PythonClient}; every field has a browser default. */
export interface PythonClientOptions {
	/** Folder of pyodide.asm.wasm etc.; default `./vendor/pyodide/` next to the page. */
	indexURL?: string;
	createWorker?: () => Worker;
	/** Where the memory snapshot is kept; null disables snapshots. Default IndexedDB. */
	snapshotStore?: SnapshotStore | null;
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

type Outcome =
	| { kind: 'done'; result: PythonRunResult; reason: 'user' | 'timeout' | null }
	| { kind: 'hard'; reason: 'user' | 'timeout' }
	| { kind: 'crashed'; error: unknown };

/** Main-thread client of the Python worker. */
export class PythonClient {
	/** What stopping and input() can do on this page. */
	readonly mode: IsolationMode = detectIsolation();
	/** Budgets applied when a run does not set its own. */
	budgets: PythonBudgets;
	/** Default input() answerer. */
	onInput: InputHandler | undefined;
	#options: PythonClientOptions;
	#buffers: PythonSharedBuffers | null;
	#handle: PythonWorkerHandle | null = null;
	#starting: Promise<PythonWorkerHandle> | null = null;
	#queue: Promise<unknown> = Promise.resolve();
	#rebuilder = new Rebuilder();
	#sessionNetwork = new Map<string, boolean>();
	#snapshot: Uint8Array | null = null;
	#snapshotPending = false;
	#stop: ((hard: boolean) => void) | null = null;
	#answer: InputHandler | null = null;
	#info: PythonInitInfo | null = null;
	#listeners = new Set<(progress: PythonLoadProgress) => void>();
	#firstStart: Promise<PythonInitInfo> | null = null;

	constructor(options: PythonClientOptions = {}) {
		this.#options = options;
		if (options.onProgress) this.#listeners.add(options.onProgress);
		this.budgets = { ...defaultPythonBudgets, ...options.budgets };
		this.onInput = options.onInput;
		this.#buffers = this.mode.interrupts ? createSharedBuffers() : null;
	}

	/** What the first (or latest) init reported, once started. */
	get info(): PythonInitInfo | null {
		return this.#info;
	}

	/** Starts the worker if needed (idempotent); resolves when Python is ready. */
	async start(): Promise<PythonInitInfo> {
		await this.#ready();
		return this.#info!;
	}

	/** The first start (begun on first access); rejects when Python cannot load. */
	get ready(): Promise<PythonInitInfo> {
		return (this.#firstStart ??= this.start());
	}

	/** Subscribes to start-up progress; returns the unsubscribe function. */
	onProgress(listener: (progress: PythonLoadProgress) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** Runs code; a Python error, a timeout or a stop comes back as data in the result. */
	run(
		code: string,
		request: PythonRunRequest = {},
		onOutput?: OutputListener
	): Promise<PythonRunResult> {
		const withOutput = onOutput ? { ...request, onOutput } : request;
		return this.#enqueue(() => this.#run(code, withOutput));
	}

	/** Clears a session's namespace and its replay history. */
	reset(session = 'default'): Promise<void> {
		return this.#enqueue(async () => {
			this.#rebuilder.forget(session);
			await (await this.#ready()).api.reset(session);
		});
	}

	/** Lets (or stops letting) every later run of a session reach the network. */
	setSessionOptions(session: string, options: { allowNetwork?: boolean }): void {
		this.#sessionNetwork.set(session, options.allowNetwork === true);
	}

	/** Runs evaluation samples, each in a fresh namespace with its own time budget. */
	runMany(samples: EvalSample[], request: RunManyRequest = {}): Promise<EvalSampleResult[]> {
		return this.#enqueue(() =>
			runBatch(
				{
					handle: () => this.#ready(),
					buffers: this.#buffers,
					graceMs: this.#graceMs,
					interrupt: () => this.#interrupt(),
					hardStop: () => this.#restart(),
					setStop: (stop) => (this.#stop = stop ? () => stop() : null)
				},
				samples,
				request
			)
		);
	}

	/** The Stop button: interrupts the current run (or hard-stops it when `hard` or not isolated). */
	stop(options: { hard?: boolean } = {}): void {
		this.#stop?.(options.hard === true);
	}

	/** WebAssembly heap size of the worker, in bytes. */
	async heapBytes(): Promise<number> {
		return this.#enqueue(async () => (await this.#ready()).api.heapBytes());
	}

	/** Successful inputs of a session, in the order a rebuild would replay them. */
	history(session = 'default'): string[] {
		return this.#rebuilder.entries.filter((e) => e.session === session).map((e) => e.code);
	}

	/** Terminates the worker; a later call starts a new one (sessions are lost). */
	dispose(): void {
		this.#handle?.terminate();
		this.#handle = null;
		this.#starting = null;
		this.#rebuilder.clear();
	}

	get #graceMs(): number {
		return this.#options.interruptGraceMs ?? 300;
	}

	#enqueue<T>(task: () => Promise<T>): Promise<T> {
		const next = this.#queue.then(task, task);
		this.#queue = next.catch(() => undefined);
		return next;
	}

	#ready(): Promise<PythonWorkerHandle> {
		if (this.#handle) return Promise.resolve(this.#handle);
		this.#starting ??= this.#spawn(this.#info ? 'restart' : 'download').finally(() => {
			this.#starting = null;
		});
		return this.#starting;
	}

	#report(progress: PythonLoadProgress): void {
		for (const listener of this.#listeners) listener(progress);
	}

	async #spawn(stage: 'download' | 'restart'): Promise<PythonWorkerHandle> {
		const restart = stage === 'restart';
		const detail = restart ? 'restarting Python' : '';
		this.#report({ stage: restart ? 'start' : 'download', progress: null, detail });
		if (this.#buffers) Atomics.store(this.#buffers.interrupt, 0, 0);
		const store = this.#store;
		const snapshot = this.#snapshot ?? (store ? store.load().catch(() => null) : null);
		const handle = await spawnPythonWorker({
			createWorker: this.#options.createWorker ?? defaultWorker,
			indexURL: this.#options.indexURL ?? new URL('./vendor/pyodide/', document.baseURI).href,
			buffers: this.#buffers,
			snapshot,
			makeSnapshot: store !== null && this.#snapshot === null,
			onInputRequest: (prompt) => void this.#answerInput(prompt),
			onLoaded: () => this.#report({ stage: 'start', progress: null, detail })
		}).catch((error: unknown) => {
			const message = error instanceof Error ? error.message : String(error);
			this.#report({ stage: 'error', progress: null, detail: message });
			throw error;
		});
		const bytes = await snapshot;
		if (handle.info.fromSnapshot) this.#snapshot = bytes;
		else if (bytes) void store?.clear().catch(() => undefined);
		this.#snapshotPending = handle.info.snapshotMade;
		this.#info = handle.info;
		this.#handle = handle;
		const how = handle.info.fromSnapshot ? 'from snapshot' : `Python ${handle.info.pythonVersion}`;
		this.#report({ stage: 'ready', progress: 1, detail: how, info: handle.info });
		return handle;
	}

	get #store(): SnapshotStore | null {
		if (this.#options.snapshotStore !== undefined) return this.#options.snapshotStore;
		return typeof indexedDB === 'undefined'
			? null
			: (this.#options.snapshotStore = indexedDbSnapshotStore());
	}

	// After the first result, when the page is idle: fetch the snapshot made at load and store it.
	#saveSnapshotSoon(): void {
		if (!this.#snapshotPending) return;
		this.#snapshotPending = false;
		const idle = (globalThis as { requestIdleCallback?: (cb: () => void) => void })
			.requestIdleCallback;
		(idle ?? ((cb: () => void) => setTimeout(cb, 0)))(() => {
			void this.#enqueue(async () => {
				const bytes = await (await this.#ready()).api.takeSnapshot();
				if (!bytes) return;
				this.#snapshot = bytes;
				await this.#store?.save(bytes);
				this.#report({ stage: 'ready', progress: 1, detail: 'snapshot saved for fast start' });
			}).catch(() => undefined);
		});
	}

	async #run(code: string, request: PythonRunRequest): Promise<PythonRunResult> {
		const handle = await this.#ready();
		const session = request.session ?? 'default';
		const budgets = { ...this.budgets, ...defined(request) };
		const allowNetwork = request.allowNetwork ?? this.#sessionNetwork.get(session) ?? false;
		const entry: HistoryEntry = { session, code, allowNetwork, inputs: [], budgets };
		const seen = { stdout: '', stderr: '' };
		const onOutput = proxy((stream: 'stdout' | 'stderr', text: string) => {
			if (seen[stream].length < budgets.maxOutputBytes) seen[stream] += text;
			request.onOutput?.(stream, text);
		});
		const ask = request.onInput ?? this.onInput;
		this.#answer = async (prompt) => {
			const answer = ask ? await ask(prompt) : null;
			if (answer !== null) entry.inputs.push(answer);
			return answer;
		};
		const started = performance.now();
		const { session: _s, signal, onOutput: _o, onInput: _i, ...rest } = request;
		const options = { ...rest, ...budgets, session, allowNetwork };
		const outcome = await this.#supervise(
			handle,
			handle.api.run(code, options, onOutput),
			budgets.timeoutMs,
			signal
		);
		this.#answer = null;
		if (outcome.kind === 'crashed') {
			await this.#restart().catch(() => undefined);
			throw outcome.error;
		}
		if (outcome.kind === 'hard') {
			const report = await this.#restart();
			return hardStopResult(outcome.reason, seen, performance.now() - started, budgets, report);
		}
		const result = outcome.result;
		if (outcome.reason && result.error?.type === 'KeyboardInterrupt') {
			result.stopped = { kind: 'interrupt', reason: outcome.reason };
		}
		if (result.heapBytes > budgets.maxHeapBytes) {
			const report = await this.#restart();
			result.stopped = { kind: 'hard-stop', reason: 'memory', ...report };
		} else if (result.ok) {
			this.#rebuilder.record(entry);
		}
		this.#saveSnapshotSoon();
		return result;
	}

	#supervise(
		handle: PythonWorkerHandle,
		call: Promise<PythonRunResult>,
		timeoutMs: number,
		signal?: AbortSignal
	): Promise<Outcome> {
		return new Promise<Outcome>((resolve) => {
			let reason: 'user' | 'timeout' | null = null;
			let grace: ReturnType<typeof setTimeout> | undefined;
			const finish = (outcome: Outcome) => {
				clearTimeout(timer);
				clearTimeout(grace);
				signal?.removeEventListener('abort', onAbort);
				this.#stop = null;
				resolve(outcome);
			};
			const stop = (why: 'user' | 'timeout', hard: boolean) => {
				reason ??= why;
				if (hard || !this.mode.interrupts) return finish({ kind: 'hard', reason });
				if (grace !== undefined) return;
				this.#interrupt();
				grace = setTimeout(() => finish({ kind: 'hard', reason: reason! }), this.#graceMs);
			};
			const onAbort = () => stop('user', false);
			const timer = setTimeout(() => stop('timeout', false), timeoutMs);
			signal?.addEventListener('abort', onAbort);
			this.#stop = (hard) => stop('user', hard);
			call.then(
				(result) => finish({ kind: 'done', result, reason }),
				(error) => finish({ kind: 'crashed', error })
			);
			void handle.crashed.then((why) => finish({ kind: 'crashed', error: new Error(why) }));
			if (signal?.aborted) onAbort();
		});
	}

	#interrupt(): void {
		const buffers = this.#buffers;
		if (!buffers) return;
		Atomics.store(buffers.interrupt, 0, 2);
		Atomics.notify(buffers.interrupt, 0);
		if (inputPending(buffers.stdin)) answerInput(buffers.stdin, null);
	}

	async #answerInput(prompt: string): Promise<void> {
		const answer = await (this.#answer ?? (async () => null))(prompt).catch(() => null);
		if (this.#buffers) answerInput(this.#buffers.stdin, answer);
	}

	// Terminates the worker, starts a new one and replays every session's successful inputs.
	async #restart(): Promise<RebuildReport> {
		this.#handle?.terminate();
		this.#handle = null;
		return this.#rebuilder.rebuild({
			ready: () => this.#ready(),
			run: (handle, entry) => {
				const inputs = [...entry.inputs];
				this.#answer = async () => inputs.shift() ?? null;
				const options = {
					...entry.budgets,
					session: entry.session,
					allowNetwork: entry.allowNetwork
				};
				return this.#supervise(
					handle,
					handle.api.run(entry.code, options),
					entry.budgets.timeoutMs
				);
			},
			discard: (handle) => {
				handle.terminate();
				if (this.#handle === handle) this.#handle = null;
			}
		});
	}
}

function hardStopResult(
	reason: 'user' | 'timeout',
	seen: { stdout: string; stderr: string },
	durationMs: number,
	budgets: PythonBudgets,
	report: RebuildReport
): PythonRunResult {
	const message =
		reason === 'timeout'
			? `the run exceeded its ${budgets.timeoutMs} ms budget and could not be interrupted; the Python worker was restarted`
			: 'stopped: the run could not be interrupted, so the Python worker was restarted';
	const type = reason === 'timeout' ? 'TimeoutError' : 'KeyboardInterrupt';
	return {
		ok: false,
		stdout: seen.stdout,
		stderr: seen.stderr,
		value: null,
		error: { type, message, traceback: `${type}: ${message}`, line: null },
		durationMs,
		truncated: { stdout: false, stderr: false },
		heapBytes: 0,
		stopped: { kind: 'hard-stop', reason, ...report }
	};
}

function defined(request: PythonRunRequest): Partial<PythonBudgets> {
	const out: Partial<PythonBudgets> = {};
	if (request.timeoutMs !== undefined) out.timeoutMs = request.timeoutMs;
	if (request.maxOutputBytes !== undefined) out.maxOutputBytes = request.maxOutputBytes;
	if (request.maxHeapBytes !== undefined) out.maxHeapBytes = request.maxHeapBytes;
	return out;
}

function defaultWorker(): Worker {
	return new Worker(new URL('../../workers/python.worker.ts', import.meta.url), {
		type: 'module',
		name: 'execlab-python'
	});
}

// The page's handle on the Python worker: serialises calls, enforces wall-time budgets (interrupt,
// then hard stop + session rebuild), replaces a worker that could not recover from running out of
// memory (the heap cap itself is the worker's: workers/memory-cap.ts), answers input(),
// and runs evaluation batches. Workers come from a WorkerSupply (snapshot start, warm spare).
import {
	defaultPythonBudgets,
	type EvalSample,
	type EvalSampleResult,
	type OutputListener,
	type PythonBudgets,
	type PythonInitInfo,
	type PythonRunOptions,
	type PythonRunResult,
	type PythonTraceOptions,
	type PythonTraceResult
} from '../../workers/protocol.ts';
import { answerInput, inputPending } from '../../workers/python-shared-memory.ts';
import type { PythonRuntime } from '../core/runtime.ts';
import { detectIsolation, type IsolationMode } from './isolation.ts';
import { CallQueue } from './python-call-queue.ts';
import type { InputHandler, PythonClientOptions, PythonRunRequest } from './python-client-types.ts';
import type { RunManyRequest } from './python-batch.ts';
import { Rebuilder, type HistoryEntry, type RebuildReport } from './python-rebuild.ts';
import { hardStopResult, stoppedBeforeStart, superviseRun } from './python-supervise.ts';
import { createNetworkWorker } from './python-network-worker.ts';
import type { PythonWorkerHandle } from './python-worker-handle.ts';
import {
	createWorkerSupply,
	type PythonLoadProgress,
	type WorkerSupply
} from './python-worker-supply.ts';

export type { RunManyRequest } from './python-batch.ts';
export type { PythonLoadProgress } from './python-worker-supply.ts';

export type { InputHandler, PythonClientOptions, PythonRunRequest } from './python-client-types.ts';

/** Main-thread client of the Python worker. */
export class PythonClient implements PythonRuntime {
	/** What stopping and input() can do on this page. */
	readonly mode: IsolationMode = detectIsolation();
	/** Budgets applied when a run does not set its own. */
	budgets: PythonBudgets;
	/** Default input() answerer. */
	onInput: InputHandler | undefined;
	#options: PythonClientOptions;
	#supply: WorkerSupply | null = null;
	#handle: PythonWorkerHandle | null = null;
	#starting: Promise<PythonWorkerHandle> | null = null;
	#queue = new CallQueue();
	#rebuilder = new Rebuilder();
	#sessionNetwork = new Map<string, boolean>();
	/** Runs allowed the network go to a client of their own (README: "Network confinement"). */
	#network: PythonClient | null = null;
	/** This is that client (it runs everything given to it, network allowed). */
	#isNetworkClient = false;
	#stop: ((hard: boolean) => void) | null = null;
	#answer: InputHandler | null = null;
	#listeners = new Set<(progress: PythonLoadProgress) => void>();
	#firstStart: Promise<PythonInitInfo> | null = null;

	constructor(options: PythonClientOptions = {}) {
		this.#options = options;
		if (options.onProgress) this.#listeners.add(options.onProgress);
		this.budgets = { ...defaultPythonBudgets, ...options.budgets };
		this.onInput = options.onInput;
	}

	/** What the first (or latest) init reported, once started. */
	get info(): PythonInitInfo | null {
		return this.#supply?.info ?? null;
	}

	/** Starts the worker if needed (idempotent); resolves when Python is ready. */
	async start(): Promise<PythonInitInfo> {
		return (await this.#ready()).info;
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
		if (this.#allowsNetwork(request)) {
			return this.#networkClient().run(code, { ...request, allowNetwork: true }, onOutput);
		}
		const withOutput = onOutput ? { ...request, onOutput } : request;
		// A Stop pressed while this run still waits for an earlier call ends it before it starts.
		return this.#queue.enqueueCancellable(
			() => this.#run(code, withOutput),
			stoppedBeforeStart,
			request.signal
		);
	}

	/**
	 * Runs code under the line tracer, supervised as {@link run} is (budgets, Stop, hard stop and
	 * rebuild); a hard stop loses the steps as it loses the worker.
	 */
	trace(
		code: string,
		request: PythonRunRequest & PythonTraceOptions = {},
		onOutput?: OutputListener
	): Promise<PythonTraceResult> {
		if (this.#allowsNetwork(request)) {
			return this.#networkClient().trace(code, { ...request, allowNetwork: true }, onOutput);
		}
		const withOutput = onOutput ? { ...request, onOutput } : request;
		const limits = { maxSteps: request.maxSteps, maxReprChars: request.maxReprChars };
		return this.#queue
			.enqueueCancellable(
				() => this.#run(code, withOutput, limits),
				stoppedBeforeStart,
				request.signal
			)
			.then(asTraceResult);
	}

	/** Clears a session's namespace and its replay history. */
	reset(session = 'default'): Promise<void> {
		void this.#network?.reset(session).catch(() => undefined);
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
		// The batch runner is a chunk of its own: only evaluation uses it, never the playground's start.
		return this.#enqueue(async () =>
			(await import('./python-batch.ts')).runBatch(
				{
					handle: () => this.#ready(),
					graceMs: this.#graceMs,
					interrupt: (handle) => this.#interrupt(handle),
					hardStop: () => this.#restart(),
					borrow: async () => (await this.#supply?.borrowSpare()) ?? null,
					giveBack: (handle, broken) => this.#supply?.returnSpare(handle, broken),
					setStop: (stop) => (this.#stop = stop ? () => stop() : null)
				},
				samples,
				request
			)
		);
	}

	/** The Stop button: interrupts the current run (or hard-stops it when `hard` or not isolated). */
	stop(options: { hard?: boolean } = {}): void {
		this.#queue.cancelWaiting();
		this.#stop?.(options.hard === true);
		this.#network?.stop(options);
	}

	/** WebAssembly heap size of the worker, in bytes. */
	async heapBytes(): Promise<number> {
		return this.#enqueue(async () => (await this.#ready()).api.heapBytes());
	}

	/** Successful inputs of a session, in the order a rebuild would replay them. */
	history(session = 'default'): string[] {
		const own = this.#rebuilder.entries.filter((e) => e.session === session).map((e) => e.code);
		return [...own, ...(this.#network?.history(session) ?? [])];
	}

	/** Terminates the worker (and any spare); a later call starts a new one (sessions are lost). */
	dispose(): void {
		this.#handle?.terminate();
		this.#handle = null;
		this.#starting = null;
		this.#supply?.dispose();
		this.#rebuilder.clear();
		this.#network?.dispose();
		this.#network = null;
	}

	#allowsNetwork(request: PythonRunRequest): boolean {
		if (this.#isNetworkClient) return false;
		return request.allowNetwork ?? this.#sessionNetwork.get(request.session ?? 'default') ?? false;
	}

	// The confined worker's CSP cannot be lifted for one run, so a session allowed the network
	// lives in a second worker, started the first time one runs; its namespaces are its own.
	#networkClient(): PythonClient {
		if (!this.#network) {
			const { createNetworkWorker: create, createWorker, onProgress: _, ...rest } = this.#options;
			this.#network = new PythonClient({
				...rest,
				createWorker: create ?? createWorker ?? createNetworkWorker
			});
			this.#network.#isNetworkClient = true;
		}
		this.#network.budgets = this.budgets;
		this.#network.onInput = this.onInput;
		return this.#network;
	}

	get #graceMs(): number {
		return this.#options.interruptGraceMs ?? 300;
	}

	#enqueue<T>(task: () => Promise<T>): Promise<T> {
		return this.#queue.enqueue(task);
	}

	#ready(): Promise<PythonWorkerHandle> {
		if (this.#handle) return Promise.resolve(this.#handle);
		const supply = (this.#supply ??= this.#createSupply());
		this.#starting ??= supply
			.take()
			.then((handle) => (this.#handle = handle))
			.finally(() => (this.#starting = null));
		return this.#starting;
	}

	#createSupply(): WorkerSupply {
		return createWorkerSupply(this.#options, {
			shared: this.mode.interrupts,
			onInputRequest: (prompt, stdin) => void this.#answerInput(prompt, stdin),
			report: (progress) => {
				for (const listener of this.#listeners) listener(progress);
			}
		});
	}

	async #run(
		code: string,
		request: PythonRunRequest & PythonTraceOptions,
		trace?: TraceLimits
	): Promise<PythonRunResult> {
		const handle = await this.#ready();
		const session = request.session ?? 'default';
		const budgets = { ...this.budgets, ...defined(request) };
		const allowNetwork = request.allowNetwork ?? this.#sessionNetwork.get(session) ?? false;
		const entry: HistoryEntry = { session, code, allowNetwork, inputs: [], budgets };
		const seen = { stdout: '', stderr: '' };
		const onOutput = (stream: 'stdout' | 'stderr', text: string) => {
			if (seen[stream].length < budgets.maxOutputBytes) seen[stream] += text;
			request.onOutput?.(stream, text);
		};
		const ask = request.onInput ?? this.onInput;
		this.#answer = async (prompt) => {
			const answer = ask ? await ask(prompt) : null;
			if (answer !== null) entry.inputs.push(answer);
			return answer;
		};
		const started = performance.now();
		const {
			session: _s,
			signal,
			onOutput: _o,
			onInput: _i,
			maxSteps: _m,
			maxReprChars: _r,
			...rest
		} = request;
		const options = { ...rest, ...budgets, session, allowNetwork };
		handle.output = onOutput;
		const outcome = await this.#supervise(handle, code, options, signal, trace);
		handle.output = null;
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
		// Out of memory is a MemoryError in the user's code and keeps the session; only a worker
		// that could not recover from it asks (stopped: hard-stop, memory) to be replaced.
		if (result.stopped?.kind === 'hard-stop' && result.stopped.reason === 'memory') {
			const report = await this.#restart();
			result.stopped = { kind: 'hard-stop', reason: 'memory', ...report };
		} else if (result.ok) {
			this.#rebuilder.record(entry);
		}
		return result;
	}

	#supervise(
		handle: PythonWorkerHandle,
		code: string,
		options: PythonRunOptions & PythonBudgets,
		signal?: AbortSignal,
		trace?: TraceLimits
	) {
		// Cleared here, not in the worker: a stop arriving before the worker starts the run must stick.
		if (handle.buffers) Atomics.store(handle.buffers.interrupt, 0, 0);
		const call = trace
			? handle.api.trace(code, { ...options, ...definedLimits(trace) })
			: handle.api.run(code, options);
		return superviseRun(handle, call, {
			timeoutMs: options.timeoutMs,
			signal,
			graceMs: this.#graceMs,
			interrupts: handle.buffers !== null,
			interrupt: () => this.#interrupt(),
			onStopping: () => this.#supply?.prepareSpare(),
			setStop: (stop) => (this.#stop = stop)
		});
	}

	#interrupt(handle = this.#handle): void {
		const buffers = handle?.buffers;
		if (!buffers) return;
		Atomics.store(buffers.interrupt, 0, 2);
		Atomics.notify(buffers.interrupt, 0);
		if (inputPending(buffers.stdin)) answerInput(buffers.stdin, null);
	}

	async #answerInput(prompt: string, stdin: SharedArrayBuffer | null): Promise<void> {
		const answer = await (this.#answer ?? (async () => null))(prompt).catch(() => null);
		if (stdin) answerInput(stdin, answer);
	}

	// Terminates the worker, takes a new one (the spare when warm) and replays every session's
	// successful inputs; then boots the next spare so a later hard stop is as quick.
	async #restart(): Promise<RebuildReport> {
		this.#handle?.terminate();
		this.#handle = null;
		const report = await this.#rebuilder.rebuild({
			ready: () => this.#ready(),
			run: (handle, entry) => {
				const inputs = [...entry.inputs];
				this.#answer = async () => inputs.shift() ?? null;
				const options = {
					...entry.budgets,
					session: entry.session,
					allowNetwork: entry.allowNetwork
				};
				return this.#supervise(handle, entry.code, options);
			},
			discard: (handle) => {
				handle.terminate();
				if (this.#handle === handle) this.#handle = null;
			}
		});
		this.#supply?.prepareSpare();
		return report;
	}
}

/** The tracer's budgets of one traced run. */
type TraceLimits = Pick<PythonTraceOptions, 'maxSteps' | 'maxReprChars'>;

function definedLimits(limits: TraceLimits): TraceLimits {
	const out: TraceLimits = {};
	if (limits.maxSteps !== undefined) out.maxSteps = limits.maxSteps;
	if (limits.maxReprChars !== undefined) out.maxReprChars = limits.maxReprChars;
	return out;
}

// A run that never reached the tracer's result (stopped before it started, hard-stopped) has no steps.
function asTraceResult(result: PythonRunResult): PythonTraceResult {
	const traced = result as Partial<PythonTraceResult> & PythonRunResult;
	return {
		...result,
		steps: traced.steps ?? [],
		truncated: { ...result.truncated, steps: traced.truncated?.steps ?? false }
	};
}

function defined(request: PythonRunRequest): Partial<PythonBudgets> {
	const out: Partial<PythonBudgets> = {};
	if (request.timeoutMs !== undefined) out.timeoutMs = request.timeoutMs;
	if (request.maxOutputBytes !== undefined) out.maxOutputBytes = request.maxOutputBytes;
	if (request.maxHeapBytes !== undefined) out.maxHeapBytes = request.maxHeapBytes;
	return out;
}

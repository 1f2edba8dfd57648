import type { PythonTraceResult } from '../../workers/protocol.ts';
import {
	StepperModel,
	steppedRun,
	type StepFrame,
	type StepVariable
} from '../core/exec-trace/stepper-model.ts';
import type { PythonRuntime } from '../core/runtime.ts';

/** Python namespace the stepper traces in, emptied first so the steps depend on the code alone. */
export const stepperNamespace = 'stepper';

/** Where a stepper is: not started, tracing the program, showing its steps, or failed to trace. */
export type StepperStatus = 'idle' | 'tracing' | 'ready' | 'failed';

/** A frame as the stepper shows it: its place on the stack and its variables as of the step. */
export interface FrameView extends StepFrame {
	variables: StepVariable[];
}

// Frames shown before "more frames" (deep recursion has ~1000): the rest are built on demand.
const framesShown = 30;

/** One "Step through" session: traces a program once, then moves over its steps. */
export class StepperSession {
	/** Where the session is. */
	status = $state<StepperStatus>('idle');
	/** The traced run, once tracing ended. */
	model = $state.raw<StepperModel | null>(null);
	/** The step shown (0-based). */
	position = $state(0);
	/** How many frames of the stack to build and show. */
	framesWanted = $state(framesShown);
	/** Why tracing failed (the runtime, not the user's program), when status is `failed`. */
	failure = $state('');
	/** The code that was traced. */
	code = $state('');

	/** The step shown. */
	step = $derived(this.model?.steps[this.position] ?? null);
	/** The editor line to mark, 1-based; null when there is no step. */
	line = $derived(this.step?.line ?? null);
	/** Frames on the stack (innermost first), the first {@link framesWanted} with their variables. */
	frames = $derived.by<FrameView[]>(() => {
		const m = this.model;
		if (!m || !m.length) return [];
		const i = this.position;
		return m
			.stack(i)
			.slice(0, this.framesWanted)
			.map((f) => ({ ...f, variables: m.variables(f.id, i) }));
	});
	/** Depth of the stack at the step (frames = depth + 1). */
	depth = $derived(this.model?.length ? this.model.stack(this.position).length : 0);
	/** Stdout written before the step. */
	stdout = $derived(this.model?.stdoutAt(this.position) ?? '');

	#abort: AbortController | null = null;
	readonly #port: PythonRuntime;

	/** A session tracing with `port` (the page's Python client, or an engine in tests). */
	constructor(port: PythonRuntime) {
		this.#port = port;
	}

	/** Traces `code` in a fresh namespace and shows its first step; a crashed runtime is `failed`. */
	async start(code: string, maxSteps?: number): Promise<void> {
		this.#abort?.abort();
		const abort = (this.#abort = new AbortController());
		this.code = code;
		this.status = 'tracing';
		this.model = null;
		this.failure = '';
		this.position = 0;
		this.framesWanted = framesShown;
		try {
			const port = this.#port;
			await port.reset(stepperNamespace);
			const options = { session: stepperNamespace, signal: abort.signal };
			const r: PythonTraceResult = await port.trace(
				code,
				maxSteps ? { ...options, maxSteps } : options
			);
			if (abort.signal.aborted) return;
			this.model = new StepperModel(steppedRun(r));
			this.status = 'ready';
		} catch (e) {
			if (abort.signal.aborted) return;
			this.failure = e instanceof Error ? e.message : String(e);
			this.status = 'failed';
		}
	}

	/** Stops a trace in progress (its steps so far are kept, as a stopped run's are). */
	stop(): void {
		if (this.status === 'tracing') this.#port.stop();
	}

	/** Leaves step mode: a trace still running is abandoned. */
	exit(): void {
		this.#abort?.abort();
		this.#abort = null;
		this.status = 'idle';
		this.model = null;
	}

	/** Shows step i (clamped). */
	seek(i: number): void {
		if (!this.model?.length) return;
		this.position = this.model.clamp(i);
	}

	/** One step forward. */
	forward(): void {
		this.seek(this.position + 1);
	}

	/** One step back. */
	back(): void {
		this.seek(this.position - 1);
	}

	/** To the next line of the frame (stepping over calls). */
	nextLine(): void {
		if (this.model) this.position = this.model.nextLine(this.position);
	}

	/** To the previous line of the frame. */
	prevLine(): void {
		if (this.model) this.position = this.model.prevLine(this.position);
	}

	/** To the first step. */
	first(): void {
		this.seek(0);
	}

	/** To the last step. */
	last(): void {
		this.seek(Number.MAX_SAFE_INTEGER);
	}

	/** To the step where the uncaught exception was raised, if there is one. */
	toException(): void {
		if (this.model && this.model.exceptionStep >= 0) this.position = this.model.exceptionStep;
	}

	/** Builds more of a deep stack. */
	moreFrames(): void {
		this.framesWanted += 100;
	}
}

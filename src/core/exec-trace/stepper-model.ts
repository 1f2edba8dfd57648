// Navigation over a traced run (workers/protocol.ts TraceStep) for the stepper: positions, the
// frame stack and each frame's variables as of a step. Everything a move needs is precomputed in
// O(n) once, so a move costs O(log n) (plus the few frames on screen), whatever the trace's length.
import type { PythonTraceResult, TraceStep } from '../../../workers/protocol.ts';

/** What the stepper is given: a traced run's steps and how it ended. */
export interface SteppedRun {
	steps: readonly TraceStep[];
	/** The run's whole stdout; each step's `out` is how much of it existed at that step. */
	stdout: string;
	/** True when the step cap stopped the program. */
	truncated: boolean;
	/** The run's error, if it raised (or was stopped). */
	error: { type: string; message: string; line: number | null } | null;
}

/** The stepper's view of a traced run's result. */
export function steppedRun(r: PythonTraceResult): SteppedRun {
	return { steps: r.steps, stdout: r.stdout, truncated: r.truncated.steps, error: r.error };
}

/** One variable of a frame as of a step. */
export interface StepVariable {
	name: string;
	/** The tracer's repr of the value (capped). */
	value: string;
	/** Whether this step set it (a call's arguments count as set). */
	changed: boolean;
}

/** One frame on the stack at a step. */
export interface StepFrame {
	/** Stable id of this activation (a generator's resumption is a new one). */
	id: number;
	/** Function name, `<module>` for the top level. */
	func: string;
	/** Call depth: 0 for the top level. */
	depth: number;
	/** The frame's line at this step (for a caller: the line of its call). */
	line: number;
}

// Own steps of a frame between two snapshots of its variables.
const snapshotEvery = 32;

interface FrameRecord {
	func: string;
	depth: number;
	/** Indices of this frame's own steps, ascending. */
	own: number[];
	/** Start of each run of own steps on one line, as indices into `own`. */
	runOf: number[];
	/** Variables after the own steps before `k * snapshotEvery`. */
	snapshots: Map<string, string>[];
}

function upperBound(sorted: readonly number[], value: number): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (sorted[mid] <= value) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** A traced run prepared for stepping: every query is O(log n) or O(frames shown). */
export class StepperModel {
	/** The steps, as recorded. */
	readonly steps: readonly TraceStep[];
	/** Number of steps. */
	readonly length: number;
	/** Whether the trace stops at the step cap (the program did not end by itself). */
	readonly truncated: boolean;
	/** Index of the step where the uncaught exception was raised; -1 when there is none. */
	readonly exceptionStep: number;
	/** The run's error as reported with the result, if any. */
	readonly error: SteppedRun['error'];
	readonly #stdout: string;
	readonly #frames: FrameRecord[] = [];
	readonly #frameOf: Int32Array;
	readonly #parent: number[] = [];
	readonly #nextLine: Int32Array;
	readonly #prevLine: Int32Array;

	constructor(run: SteppedRun) {
		this.steps = run.steps;
		this.length = run.steps.length;
		this.truncated = run.truncated;
		this.error = run.error;
		this.#stdout = run.stdout;
		this.#frameOf = new Int32Array(this.length);
		this.#nextLine = new Int32Array(this.length);
		this.#prevLine = new Int32Array(this.length);
		this.#buildFrames();
		this.#buildLineMoves();
		this.exceptionStep = run.error ? this.#findRaise() : -1;
	}

	// Call steps open a frame and return steps close it; the top level (`<module>`, also the
	// separate frame of a trailing expression) is one frame at depth 0 that no step closes.
	#buildFrames(): void {
		this.#frames.push(this.#newFrame('<module>', 0));
		this.#parent.push(-1);
		const stack = [0];
		for (let i = 0; i < this.length; i++) {
			const s = this.steps[i];
			if (s.event === 'call' && s.func !== '<module>') {
				const parent = stack[stack.length - 1];
				this.#frames.push(this.#newFrame(s.func, stack.length));
				this.#parent.push(parent);
				stack.push(this.#frames.length - 1);
			}
			const id = s.func === '<module>' ? 0 : stack[stack.length - 1];
			this.#frameOf[i] = id;
			this.#addOwn(this.#frames[id], i);
			if (s.event === 'return' && s.func !== '<module>' && stack.length > 1) stack.pop();
		}
	}

	#newFrame(func: string, depth: number): FrameRecord {
		return { func, depth, own: [], runOf: [], snapshots: [new Map()] };
	}

	#addOwn(f: FrameRecord, i: number): void {
		const k = f.own.length;
		if (k > 0 && k % snapshotEvery === 0) {
			f.snapshots.push(this.#replay(f, f.snapshots.length - 1, k - 1));
		}
		const prev = k > 0 ? f.own[k - 1] : -1;
		const sameLine = prev >= 0 && this.steps[prev].line === this.steps[i].line;
		f.runOf.push(sameLine ? f.runOf[k - 1] : k);
		f.own.push(i);
	}

	// Variables of a frame after its own steps up to `last` (an index into `own`), from snapshot s.
	#replay(f: FrameRecord, s: number, last: number): Map<string, string> {
		const vars = new Map(f.snapshots[s]);
		for (let k = s * snapshotEvery; k <= last; k++) {
			const changed = this.steps[f.own[k]].changed;
			if (changed) for (const name in changed) vars.set(name, changed[name]);
		}
		return vars;
	}

	#buildLineMoves(): void {
		const n = this.length;
		const depth = (i: number) => this.#frames[this.#frameOf[i]].depth;
		// First later / last earlier step in a shallower frame (monotonic stacks, O(n)).
		const nextLess = new Int32Array(n).fill(-1);
		const prevLess = new Int32Array(n).fill(-1);
		const stack: number[] = [];
		for (let i = 0; i < n; i++) {
			while (stack.length && depth(stack[stack.length - 1]) > depth(i)) nextLess[stack.pop()!] = i;
			stack.push(i);
		}
		stack.length = 0;
		for (let i = n - 1; i >= 0; i--) {
			while (stack.length && depth(stack[stack.length - 1]) > depth(i)) prevLess[stack.pop()!] = i;
			stack.push(i);
		}
		for (const f of this.#frames) {
			const m = f.own.length;
			if (m === 0) continue;
			const after = nextLess[f.own[m - 1]];
			const before = prevLess[f.own[0]];
			for (let k = 0; k < m; k++) {
				const i = f.own[k];
				let next = k + 1;
				while (next < m && f.runOf[next] === f.runOf[k]) next++;
				this.#nextLine[i] = next < m ? f.own[next] : after >= 0 ? after : n - 1;
				const start = f.runOf[k];
				this.#prevLine[i] = start > 0 ? f.own[f.runOf[start - 1]] : before >= 0 ? before : 0;
			}
		}
	}

	// The uncaught exception is raised where its propagation starts: the earliest `exception` step
	// of the run of exception and return steps that ends the trace.
	#findRaise(): number {
		let found = -1;
		for (let i = this.length - 1; i >= 0; i--) {
			const e = this.steps[i].event;
			if (e === 'exception') found = i;
			else if (e !== 'return') break;
		}
		return found;
	}

	/** Clamps a position into the trace. */
	clamp(i: number): number {
		return Math.max(0, Math.min(this.length - 1, Math.trunc(i)));
	}

	/**
	 * The next step on another line of the same frame, stepping over calls; past the frame's last
	 * line, the caller's next step (or the last step).
	 */
	nextLine(i: number): number {
		return this.length ? this.#nextLine[this.clamp(i)] : 0;
	}

	/** The first step of the frame's previous line; before its first line, the caller's step. */
	prevLine(i: number): number {
		return this.length ? this.#prevLine[this.clamp(i)] : 0;
	}

	/** The frames on the stack at step i, innermost first. */
	stack(i: number): StepFrame[] {
		if (!this.length) return [];
		i = this.clamp(i);
		const out: StepFrame[] = [];
		for (let id = this.#frameOf[i]; id >= 0; id = this.#parent[id]) {
			const f = this.#frames[id];
			const k = upperBound(f.own, i) - 1;
			out.push({ id, func: f.func, depth: f.depth, line: k >= 0 ? this.steps[f.own[k]].line : 0 });
		}
		return out;
	}

	/** A frame's variables as of step i, in the order they first appeared. */
	variables(frameId: number, i: number): StepVariable[] {
		const f = this.#frames[frameId];
		if (!f || !this.length) return [];
		i = this.clamp(i);
		const k = upperBound(f.own, i) - 1;
		if (k < 0) return [];
		const vars = this.#replay(f, Math.floor(k / snapshotEvery), k);
		const changed = this.#frameOf[i] === frameId ? this.steps[i].changed : undefined;
		return [...vars].map(([name, value]) => ({
			name,
			value,
			changed: changed !== undefined && name in changed
		}));
	}

	/** The id of the frame step i belongs to. */
	frameOf(i: number): number {
		return this.length ? this.#frameOf[this.clamp(i)] : 0;
	}

	/** The stdout written before step i (at the last step: all of it). */
	stdoutAt(i: number): string {
		if (!this.length) return this.#stdout;
		i = this.clamp(i);
		if (i === this.length - 1 && !this.truncated) return this.#stdout;
		return this.#stdout.slice(0, this.steps[i].out ?? this.#stdout.length);
	}
}

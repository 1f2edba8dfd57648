// Layouts of the SharedArrayBuffers the Python worker and its client share when the page is
// cross-origin isolated: stdin for input(), and the batch control block of runMany. Both sides
// import these helpers so the layout is written down once.
import type { PythonWorkerEvent } from './protocol.ts';

/** Bytes of the stdin buffer: an 8-byte header (state, length) then UTF-8 text. */
export const stdinBufferBytes = 8 + 256 * 1024;

/** States of the stdin buffer's first Int32. */
export const StdinState = { idle: 0, waiting: 1, answered: 2, eof: 3 } as const;

/** Worker side: blocks until the host answers through {@link answerInput}; null means EOF. */
export function waitForInput(
	buffer: SharedArrayBuffer,
	prompt: string,
	post: (event: PythonWorkerEvent) => void
): string | null {
	const header = new Int32Array(buffer, 0, 2);
	Atomics.store(header, 0, StdinState.waiting);
	post({ execlab: 'input', prompt });
	while (Atomics.load(header, 0) === StdinState.waiting) {
		Atomics.wait(header, 0, StdinState.waiting, 1000);
	}
	const state = Atomics.load(header, 0);
	const length = Atomics.load(header, 1);
	Atomics.store(header, 0, StdinState.idle);
	if (state === StdinState.eof) return null;
	// TextDecoder refuses views of shared memory, so copy first.
	return new TextDecoder().decode(new Uint8Array(buffer, 8, length).slice());
}

/** Host side: hands a line (or EOF when null) to a worker blocked in {@link waitForInput}. */
export function answerInput(buffer: SharedArrayBuffer, text: string | null): void {
	const header = new Int32Array(buffer, 0, 2);
	if (text === null) {
		Atomics.store(header, 1, 0);
		Atomics.store(header, 0, StdinState.eof);
	} else {
		const bytes = new TextEncoder().encode(text);
		const length = Math.min(bytes.length, buffer.byteLength - 8);
		new Uint8Array(buffer, 8, length).set(bytes.subarray(0, length));
		Atomics.store(header, 1, length);
		Atomics.store(header, 0, StdinState.answered);
	}
	Atomics.notify(header, 0);
}

/** Host side: whether the worker is blocked in input() right now. */
export function inputPending(buffer: SharedArrayBuffer): boolean {
	return Atomics.load(new Int32Array(buffer, 0, 1), 0) === StdinState.waiting;
}

/** Int32 slots of the batch control buffer. */
export const BatchSlot = { index: 0, started: 1, target: 2 } as const;

/** Bytes of the batch control buffer. */
export const batchBufferBytes = 16;

/** What runMany's loop reports to whoever watches its time budgets. */
export interface BatchControl {
	/** Called as sample `index` (within the call) starts. */
	start(index: number): void;
	/** Index of the sample the host interrupted most recently, or -1. */
	target(): number;
}

/** Worker side: a BatchControl writing into shared memory (cheap enough per sample). */
export function sharedBatchControl(buffer: SharedArrayBuffer): BatchControl {
	const slots = new Int32Array(buffer);
	return {
		start(index) {
			Atomics.store(slots, BatchSlot.index, index);
			Atomics.add(slots, BatchSlot.started, 1);
		},
		target: () => Atomics.load(slots, BatchSlot.target)
	};
}

/** Host side: reads which sample runs and how many have started; marks one as interrupted. */
export function batchProgress(buffer: SharedArrayBuffer): {
	index: number;
	started: number;
	markTarget(index: number): void;
	clear(): void;
} {
	const slots = new Int32Array(buffer);
	return {
		get index() {
			return Atomics.load(slots, BatchSlot.index);
		},
		get started() {
			return Atomics.load(slots, BatchSlot.started);
		},
		markTarget: (index) => Atomics.store(slots, BatchSlot.target, index),
		clear() {
			Atomics.store(slots, BatchSlot.index, -1);
			Atomics.store(slots, BatchSlot.target, -1);
		}
	};
}

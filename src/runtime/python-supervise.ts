// Watching one worker call: its wall-time budget, the Stop button and the abort signal. A stop
// first interrupts (KeyboardInterrupt, state kept) and escalates to a hard stop when the grace
// period passes; without shared memory every stop is a hard stop.
import { pythonFailure, type PythonBudgets, type PythonRunResult } from '../../workers/protocol.ts';
import type { PythonWorkerHandle } from './python-worker-handle.ts';

/** How a supervised call ended. */
export type Outcome =
	| { kind: 'done'; result: PythonRunResult; reason: 'user' | 'timeout' | null }
	| { kind: 'hard'; reason: 'user' | 'timeout' }
	| { kind: 'crashed'; error: unknown };

/** What supervision needs from the client. */
export interface SuperviseOptions {
	timeoutMs: number;
	signal?: AbortSignal;
	/** How long an interrupt may take before the stop becomes a hard stop. */
	graceMs: number;
	/** Whether this page can interrupt (shared memory); otherwise every stop is hard. */
	interrupts: boolean;
	/** Raises KeyboardInterrupt in the worker. */
	interrupt(): void;
	/** Called when an interrupt has not ended the call within a few ms: a hard stop may follow. */
	onStopping?(): void;
	/** Registers what the Stop button does while the call runs; null when it ends. */
	setStop(stop: ((hard: boolean) => void) | null): void;
}

const slowInterruptMs = 30;

/** Settles when the call finishes, is hard-stopped, or the worker dies. */
export function superviseRun(
	handle: PythonWorkerHandle,
	call: Promise<PythonRunResult>,
	options: SuperviseOptions
): Promise<Outcome> {
	const { signal } = options;
	return new Promise<Outcome>((resolve) => {
		let reason: 'user' | 'timeout' | null = null;
		let grace: ReturnType<typeof setTimeout> | undefined;
		let slow: ReturnType<typeof setTimeout> | undefined;
		let settled = false;
		const finish = (outcome: Outcome) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			clearTimeout(grace);
			clearTimeout(slow);
			signal?.removeEventListener('abort', onAbort);
			options.setStop(null);
			resolve(outcome);
		};
		const stop = (why: 'user' | 'timeout', hard: boolean) => {
			reason ??= why;
			if (hard || !options.interrupts) return finish({ kind: 'hard', reason });
			if (grace !== undefined) return;
			options.interrupt();
			grace = setTimeout(() => finish({ kind: 'hard', reason: reason! }), options.graceMs);
			// Most interrupts land within a few ms; only a slow one is worth booting a spare for
			// (a boot competes for the CPU with the interrupted run).
			slow = setTimeout(() => options.onStopping?.(), slowInterruptMs);
		};
		const onAbort = () => stop('user', false);
		const timer = setTimeout(() => stop('timeout', false), options.timeoutMs);
		signal?.addEventListener('abort', onAbort);
		options.setStop((hard) => stop('user', hard));
		call.then(
			(result) => finish({ kind: 'done', result, reason }),
			(error) => finish({ kind: 'crashed', error })
		);
		void handle.crashed.then((why) => finish({ kind: 'crashed', error: new Error(why) }));
		if (signal?.aborted) onAbort();
	});
}

/** The result of a run that was hard-stopped (the worker was replaced and the session rebuilt). */
export function hardStopResult(
	reason: 'user' | 'timeout',
	seen: { stdout: string; stderr: string },
	durationMs: number,
	budgets: PythonBudgets,
	report: { rebuilt: boolean; rebuildError?: string }
): PythonRunResult {
	const message =
		reason === 'timeout'
			? `the run exceeded its ${budgets.timeoutMs} ms budget and could not be interrupted; the Python worker was restarted`
			: 'stopped: the run could not be interrupted, so the Python worker was restarted';
	const type = reason === 'timeout' ? 'TimeoutError' : 'KeyboardInterrupt';
	return pythonFailure(
		{ type, message, traceback: `${type}: ${message}`, line: null },
		durationMs,
		{
			...seen,
			stopped: { kind: 'hard-stop', reason, ...report }
		}
	);
}

/** The result of a run stopped while it still waited for an earlier call: it never started. */
export function stoppedBeforeStart(): PythonRunResult {
	const message = 'stopped before it started (it was waiting for an earlier run)';
	return pythonFailure(
		{ type: 'KeyboardInterrupt', message, traceback: `KeyboardInterrupt: ${message}`, line: null },
		0,
		{ stopped: { kind: 'interrupt', reason: 'user' } }
	);
}

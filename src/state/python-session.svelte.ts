import type { PythonRunResult, StopInfo } from '../../workers/protocol.ts';
import type { PythonRuntime } from '../core/runtime.ts';
import { OutputStream } from '../lib/output-stream.ts';
import type { ErrorMark } from '../lib/editor.ts';
import { idleStatus, type LoadStatus } from './load-status.ts';

/** Namespace the playground's Python pane runs in (the agent uses its own). */
export const playgroundSession = 'playground';

/** Describes how a run was stopped, for the output log. */
export function describeStop(s: StopInfo): string {
	const why =
		s.reason === 'user'
			? 'Stopped'
			: s.reason === 'timeout'
				? 'Time limit reached'
				: 'Memory limit reached';
	if (s.kind === 'interrupt') return `${why}: KeyboardInterrupt raised; variables kept.`;
	if (s.rebuilt)
		return `${why}: Python was restarted and earlier cells re-run; variables restored.`;
	return `${why}: Python was restarted; variables lost${s.rebuildError ? ` (${s.rebuildError})` : ''}.`;
}

/** The Python pane's session: runs, streamed output, last result, runtime status. */
export class PythonSession {
	/** True while a run is in progress. */
	running = $state(false);
	/** The last finished run. */
	result = $state.raw<PythonRunResult | null>(null);
	/** Start-up state of the runtime. */
	load = $state.raw<LoadStatus>(idleStatus);
	/** What Stop can do on this page (from the runtime); null until it is known. */
	isolation = $state.raw<{ interrupts: boolean; detail: string } | null>(null);
	/** WebAssembly heap in bytes, refreshed after each run. */
	heapBytes = $state<number | null>(null);
	/** Streamed output of the current (or last) run; kept out of reactivity for speed. */
	readonly output = new OutputStream();

	/** The failing line of the last run, for the editor. */
	errorMark = $derived.by<ErrorMark | null>(() => {
		const e = this.result?.error;
		return e && e.line !== null ? { line: e.line, message: `${e.type}: ${e.message}` } : null;
	});

	#port: PythonRuntime | null = null;
	#waiters: ((p: PythonRuntime) => void)[] = [];

	/** Connects the runtime client once it exists; queued runs start then. */
	attach(port: PythonRuntime): void {
		this.#port = port;
		for (const w of this.#waiters.splice(0)) w(port);
	}

	/** Whether a runtime client is attached. */
	get attached(): boolean {
		return this.#port !== null;
	}

	/** Runs code, streaming its output; waits for the runtime if it is still starting. */
	async run(code: string): Promise<PythonRunResult | null> {
		if (this.running) return null;
		this.running = true;
		this.output.clear();
		this.result = null;
		try {
			const port = this.#port ?? (await new Promise<PythonRuntime>((ok) => this.#waiters.push(ok)));
			const r = await port.run(code, { session: playgroundSession }, (stream, text) =>
				this.output.push(stream, text)
			);
			if (r.value !== null) this.output.push('value', r.value + '\n');
			if (r.error)
				this.output.push(
					'error',
					(r.error.traceback || `${r.error.type}: ${r.error.message}`) + '\n'
				);
			if (r.stopped) this.output.push('info', describeStop(r.stopped) + '\n');
			this.result = r;
			void this.refreshHeap();
			return r;
		} catch (e) {
			// A crashed or unloadable worker is not the user's error: say so plainly.
			this.output.push(
				'info',
				`Python runtime failed: ${e instanceof Error ? e.message : String(e)}\n`
			);
			return null;
		} finally {
			this.running = false;
		}
	}

	/** Asks the runtime to end the current run. */
	stop(): void {
		if (this.running && this.#port) void this.#port.stop();
	}

	/** Re-reads the heap size. */
	async refreshHeap(): Promise<void> {
		try {
			if (this.#port) this.heapBytes = await this.#port.heapBytes();
		} catch {
			this.heapBytes = null;
		}
	}
}

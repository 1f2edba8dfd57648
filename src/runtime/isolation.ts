// What the page can do given its cross-origin isolation: with it, SharedArrayBuffer lets the
// Python worker be interrupted and wait for input(); without it, only hard stops remain.

/** How the runtime can stop and feed the Python worker on this page. */
export interface IsolationMode {
	/** `crossOriginIsolated` of the page. */
	isolated: boolean;
	/** KeyboardInterrupt through a shared interrupt buffer (otherwise: hard stops only). */
	interrupts: boolean;
	/** input() can block on shared memory until the page answers. */
	input: boolean;
	/** Short label for the status bar: "interrupts on" or "interrupts off". */
	label: string;
	/** One sentence for users saying what the mode means and why. */
	detail: string;
}

/** Detects the isolation mode of the current global scope. */
export function detectIsolation(scope: typeof globalThis = globalThis): IsolationMode {
	const isolated = scope.crossOriginIsolated === true;
	const shared = isolated && typeof scope.SharedArrayBuffer === 'function';
	return {
		isolated,
		interrupts: shared,
		input: shared,
		label: shared ? 'interrupts on' : 'interrupts off',
		detail: shared
			? 'Cross-origin isolated: Stop interrupts Python (KeyboardInterrupt) and keeps its state; input() works.'
			: 'Not cross-origin isolated (the host sends no COOP/COEP headers): Stop restarts the Python worker and replays the session; input() is unavailable.'
	};
}

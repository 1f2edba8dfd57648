// requestIdleCallback is missing in some browsers (Safari); there a timer stands in for it.

type IdleCallback = (cb: () => void, options?: { timeout: number }) => void;

/**
 * Calls `fn` in the page's next idle period, at most `timeoutMs` away when given; where idle
 * callbacks do not exist, after `fallbackMs` instead.
 */
export function whenIdle(fn: () => void, timeoutMs?: number, fallbackMs = 0): void {
	const ric = (globalThis as { requestIdleCallback?: IdleCallback }).requestIdleCallback;
	if (ric) ric(fn, timeoutMs === undefined ? undefined : { timeout: timeoutMs });
	else setTimeout(fn, fallbackMs);
}

// The Python worker runs one call at a time, so the client queues them. A queued call can be
// cancelled before it starts (the Stop button, or its own abort signal): its promise settles at
// once with the caller's "never started" value and the queue skips it.

/** Serialises async tasks; cancellable ones can be dropped while they wait. */
export class CallQueue {
	#tail: Promise<unknown> = Promise.resolve();
	#waiting = new Set<() => void>();

	/** Runs `task` after every task queued before it (whether those succeeded or not). */
	enqueue<T>(task: () => Promise<T>): Promise<T> {
		const next = this.#tail.then(task, task);
		this.#tail = next.catch(() => undefined);
		return next;
	}

	/**
	 * Like {@link enqueue}, but while it waits, {@link cancelWaiting} or `signal` settle it with
	 * `cancelled()` instead, and `task` never runs.
	 */
	enqueueCancellable<T>(
		task: () => Promise<T>,
		cancelled: () => T,
		signal?: AbortSignal
	): Promise<T> {
		let cancel = () => {};
		let dropped = false;
		const early = new Promise<T>((resolve) => {
			cancel = () => {
				dropped = true;
				resolve(cancelled());
			};
		});
		this.#waiting.add(cancel);
		signal?.addEventListener('abort', cancel, { once: true });
		const started = this.enqueue(async () => {
			this.#waiting.delete(cancel);
			signal?.removeEventListener('abort', cancel);
			return dropped ? cancelled() : task();
		});
		return Promise.race([started, early]);
	}

	/** Cancels every cancellable task that has not started yet. */
	cancelWaiting(): void {
		for (const cancel of this.#waiting) cancel();
		this.#waiting.clear();
	}
}

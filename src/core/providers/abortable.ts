import { abortedError } from './errors.ts';

/** Waits `ms` milliseconds; rejects with an `aborted` error as soon as the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(abortedError(signal.reason));
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		const onAbort = () => {
			clearTimeout(timer);
			reject(abortedError(signal?.reason));
		};
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

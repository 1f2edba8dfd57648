// Editor texts go to localStorage (small, read synchronously so the first paint already shows
// them); database bytes go to IndexedDB (src/state/saved-databases.ts). Storage can be full,
// disabled or private: every call reports failure as a value and never throws.
import { isQuotaError } from '../core/storage-quota.ts';

/** Outcome of a save. */
export type SaveOutcome = { ok: true } | { ok: false; quota: boolean; message: string };

const textPrefix = 'execlab:';

/** The outcome of a save that threw (a full storage said as such). */
export function failedSave(e: unknown): SaveOutcome {
	const quota = isQuotaError(e);
	const message = quota
		? 'Browser storage is full; this change will not survive a reload.'
		: `Could not save: ${e instanceof Error ? e.message : String(e)}`;
	return { ok: false, quota, message };
}

/** Reads a saved text (null when absent or storage is unavailable). */
export function loadText(key: string): string | null {
	try {
		return localStorage.getItem(textPrefix + key);
	} catch {
		return null;
	}
}

/** Saves a text. */
export function saveText(key: string, value: string): SaveOutcome {
	try {
		localStorage.setItem(textPrefix + key, value);
		return { ok: true };
	} catch (e) {
		return failedSave(e);
	}
}

/** Returns a function that calls `fn` once `ms` have passed without another call; `flush` runs it now. */
export function debounce<A extends unknown[]>(
	fn: (...args: A) => void,
	ms: number
): ((...args: A) => void) & { flush(): void } {
	let timer: ReturnType<typeof setTimeout> | null = null;
	let last: A | null = null;
	const call = (...args: A) => {
		last = args;
		if (timer !== null) clearTimeout(timer);
		timer = setTimeout(call.flush, ms);
	};
	call.flush = () => {
		if (timer !== null) clearTimeout(timer);
		timer = null;
		if (last) {
			const a = last;
			last = null;
			fn(...a);
		}
	};
	return call;
}

// Storage failures as the History tab and the status bar say them: quota first, never silent.
import { isQuotaError } from '../storage-quota.ts';

/** A failed save, as a value (the store never throws it at a run). */
export interface StorageProblem {
	/** True when the browser refused for lack of space (QuotaExceededError). */
	quota: boolean;
	message: string;
}

export { isQuotaError };

/** The problem of a failed save of a run's events (`what` names the run). */
export function storageProblem(error: unknown, what: string): StorageProblem {
	if (isQuotaError(error))
		return {
			quota: true,
			message: `Browser storage is full: ${what} is no longer being saved (what was saved before is kept). Delete or export old traces to make room.`
		};
	const detail = error instanceof Error ? error.message : String(error);
	return { quota: false, message: `Could not save ${what}: ${detail}` };
}

/** "12.3 MB of 1.2 GB" from a StorageManager estimate (null when the browser gives none). */
export function describeUsage(estimate: { usage?: number; quota?: number } | null): string | null {
	if (!estimate || estimate.usage === undefined || !estimate.quota) return null;
	const share = estimate.usage / estimate.quota;
	const pct = share < 0.01 ? '<1' : String(Math.round(share * 100));
	return `${bytes(estimate.usage)} of ${bytes(estimate.quota)} used (${pct}%)`;
}

/** Whether usage is close enough to the quota to warn before a save fails (over 90 %). */
export function nearQuota(estimate: { usage?: number; quota?: number } | null): boolean {
	return !!estimate?.quota && (estimate.usage ?? 0) / estimate.quota > 0.9;
}

function bytes(n: number): string {
	const units = ['B', 'KB', 'MB', 'GB', 'TB'];
	let i = 0;
	while (n >= 1000 && i < units.length - 1) {
		n /= 1000;
		i++;
	}
	return `${n >= 100 || i === 0 ? Math.round(n) : n.toFixed(1)} ${units[i]}`;
}

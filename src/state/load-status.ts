/** Where a runtime is in its start-up. */
export type LoadStage = 'idle' | 'download' | 'start' | 'ready' | 'error';

/** A runtime's start-up state as the status bar shows it. */
export interface LoadStatus {
	stage: LoadStage;
	/** 0..1 within the stage when known. */
	progress: number | null;
	/** Extra words, e.g. the error message or "from snapshot". */
	detail: string;
}

/** The status of a runtime that has not started yet. */
export const idleStatus: LoadStatus = { stage: 'idle', progress: null, detail: '' };

/** Short text for a load status, e.g. "downloading 42%". */
export function describeLoad(s: LoadStatus): string {
	const pct = s.progress === null ? '' : ` ${Math.round(s.progress * 100)}%`;
	switch (s.stage) {
		case 'idle':
			return s.detail || 'waiting';
		case 'download':
			return `downloading${pct}`;
		case 'start':
			return `starting${pct}`;
		case 'ready':
			return s.detail ? `ready (${s.detail})` : 'ready';
		case 'error':
			return `failed: ${s.detail}`;
	}
}

/** Formats a byte count for people (e.g. "12.5 MB"). */
export function formatBytes(n: number): string {
	if (n < 1024) return `${n} B`;
	const units = ['KB', 'MB', 'GB'];
	let v = n / 1024;
	let i = 0;
	while (v >= 1024 && i < units.length - 1) {
		v /= 1024;
		i++;
	}
	return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

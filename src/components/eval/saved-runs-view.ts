// What the saved runs list shows of a stored run: where its answers came from, its size and its
// state, in words. Plain data, tested in Node.
import type { BatchSource, BatchState } from '../../core/eval/batch/types.ts';

/** `reference`, `predictions`, or the model's name, preset and n. */
export function sourceLabel(source: BatchSource): string {
	if (source.kind !== 'model') return source.kind === 'reference' ? 'reference' : 'predictions';
	const model = source.provider.model || source.provider.kind;
	return `${model} · ${source.preset} · n=${source.n}`;
}

/** About this many bytes, for people: `840 B`, `12.5 KB`, `3.1 MB`. */
export function formatBytes(n: number | undefined): string {
	if (n === undefined || !Number.isFinite(n)) return '—';
	const units = ['B', 'KB', 'MB', 'GB'];
	let i = 0;
	let x = n;
	while (x >= 1024 && i < units.length - 1) {
		x /= 1024;
		i++;
	}
	return i === 0 ? `${Math.round(x)} B` : `${x.toFixed(1)} ${units[i]}`;
}

/** A stored run's state in words (an unfinished one that no page is running is `unfinished`). */
export function stateLabel(state: BatchState, active: boolean): string {
	if (active) return state === 'paused' ? 'paused' : 'running';
	if (state === 'running' || state === 'paused') return 'unfinished';
	return state === 'error' ? 'error' : state;
}

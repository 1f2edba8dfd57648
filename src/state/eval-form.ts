// The Eval tab's form: its choices kept across reloads, the k list typed by a person, a pack's size in words.
import type { TaskPack } from '../core/eval/pack.ts';
import { loadText, saveText } from './persistence.ts';

/** Where a run's answers come from, as the tab offers it. */
export type SourceKind = 'reference' | 'predictions' | 'model';

const prefsKey = 'eval-prefs';

/** The Eval tab's choices kept across reloads (not the predictions text, which can be large). */
export interface Prefs {
	packId?: string;
	/** The last predictions file's name (a resumed run shows it and names its exports after it). */
	predictionsName?: string;
	sourceKind?: SourceKind;
	kText?: string;
	workers?: number;
	n?: number;
	temperature?: number;
	modelPreset?: string;
}

/** The saved choices (empty when none or unreadable). */
export function readPrefs(): Prefs {
	try {
		return (JSON.parse(loadText(prefsKey) ?? '{}') as Prefs) ?? {};
	} catch {
		return {};
	}
}

/** Saves the choices. */
export function savePrefs(prefs: Prefs): void {
	saveText(prefsKey, JSON.stringify(prefs));
}

/** `12 tasks`, `15 questions, 2 databases`. */
export function countOf(pack: TaskPack): string {
	switch (pack.format) {
		case 'humaneval':
			return `${pack.problems.length} tasks`;
		case 'mbpp':
			return `${pack.tasks.length} tasks`;
		case 'spider':
		case 'bird':
			return `${pack.items.length} questions, ${pack.databases.length} databases`;
	}
}

/** The k list typed in the form, as numbers, or what is wrong with it. */
export function parseKs(text: string): number[] | string {
	const parts = text
		.split(/[\s,;]+/)
		.map((p) => p.trim())
		.filter(Boolean);
	if (parts.length === 0) return 'Give at least one k, e.g. 1, 10.';
	const ks = new Set<number>();
	for (const p of parts) {
		const k = Number(p);
		if (!Number.isInteger(k) || k < 1) return `k must be a positive whole number; “${p}” is not.`;
		ks.add(k);
	}
	return [...ks].sort((a, b) => a - b);
}

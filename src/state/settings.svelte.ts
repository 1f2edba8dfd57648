import { loadText, saveText } from './persistence.ts';

/** Colour scheme choice; `system` follows prefers-color-scheme. */
export type ThemeChoice = 'system' | 'light' | 'dark';

const order: ThemeChoice[] = ['system', 'light', 'dark'];

/** User preferences kept across reloads. */
export class Settings {
	/** The chosen colour scheme. */
	theme = $state<ThemeChoice>('system');

	/** Reads saved preferences. */
	constructor() {
		const saved = loadText('theme');
		if (saved === 'light' || saved === 'dark' || saved === 'system') this.theme = saved;
	}

	/** Moves to the next theme choice (system → light → dark → system). */
	cycleTheme(): void {
		this.theme = order[(order.indexOf(this.theme) + 1) % order.length];
		saveText('theme', this.theme);
	}
}

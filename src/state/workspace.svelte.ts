import { debounce, loadText, saveText } from './persistence.ts';
import type { Language, StartParams } from './url-params.ts';

/** Every top-level tab of the playground, in the header's order. */
export const tabIds = ['home', 'python', 'sql', 'agent', 'eval', 'history'] as const;

/** A top-level tab: the first screen (`home`), the two playgrounds, the agent session, evaluation and trace history. */
export type Tab = (typeof tabIds)[number];

const isTab = (s: string | null): s is Tab =>
	s !== null && (tabIds as readonly string[]).includes(s);

const starters: Record<Language, string> = {
	python: `# Python ${'3.14'} in your browser (Pyodide). Ctrl+Enter runs.\nimport statistics\n\nscores = [72, 88, 95, 61, 79]\nprint("mean:", statistics.mean(scores))\nsorted(scores)\n`,
	sql: `-- SQLite in your browser. Ctrl+Enter runs; click a name on the left to insert it.\nSELECT name, type FROM sqlite_schema ORDER BY name;\n`
};

/**
 * The tab shown when the URL names none and none was saved: a first-time visitor lands on Start;
 * a frame (no Start there) and someone with saved editor text get the Python playground.
 */
function firstTab(embed: boolean, returning: boolean): Tab {
	return embed || returning ? 'python' : 'home';
}

/** The user's work: which tab is shown and the text of each editor, kept across reloads. */
export class Workspace {
	/** The tab shown. */
	tab = $state<Tab>('home');
	/** Minimal chrome for embedding (`?embed=1`). */
	readonly embed: boolean;
	/** Editor texts by language. */
	code = $state<Record<Language, string>>({ python: '', sql: '' });
	/** Last storage problem (e.g. quota), shown in the status bar; empty when none. */
	storageNotice = $state('');

	#persist: boolean;
	#saveText = (lang: Language, text: string) => {
		const r = saveText(`code:${lang}`, text);
		this.storageNotice = r.ok ? '' : r.message;
	};
	#save = { python: debounce(this.#saveText, 400), sql: debounce(this.#saveText, 400) };

	/** Starts from the URL parameters, else from saved work, else from the starter texts. */
	constructor(params: StartParams) {
		this.embed = params.embed;
		// An embedded copy must not overwrite (or be shaped by) the user's own saved work.
		this.#persist = !params.embed;
		const saved = (l: Language) => (this.#persist ? loadText(`code:${l}`) : null);
		const savedTab = this.#persist ? loadText('tab') : null;
		const savedCode = { python: saved('python'), sql: saved('sql') };
		this.code = { python: savedCode.python ?? starters.python, sql: savedCode.sql ?? starters.sql };
		if (params.lang && params.code !== null) this.code[params.lang] = params.code;
		const returning = savedCode.python !== null || savedCode.sql !== null;
		this.tab = params.lang ?? (isTab(savedTab) ? savedTab : firstTab(params.embed, returning));
	}

	/** The language of the shown tab, or null on a tab that is not a playground. */
	get language(): Language | null {
		return this.tab === 'python' || this.tab === 'sql' ? this.tab : null;
	}

	/** Shows a tab. */
	show(tab: Tab): void {
		this.tab = tab;
		if (this.#persist) saveText('tab', tab);
	}

	/** Records an edit; saved after a short pause. */
	edit(lang: Language, text: string): void {
		this.code[lang] = text;
		if (this.#persist) this.#save[lang](lang, text);
	}

	/** Writes pending edits now (e.g. on pagehide). */
	flush(): void {
		this.#save.python.flush();
		this.#save.sql.flush();
	}
}

// Framework-free so the embed contract (and its tests) can reuse it without Svelte.

/** A language the playground can run. */
export type Language = 'python' | 'sql';

/** What the page's query string asks for at start. */
export interface StartParams {
	/** `?embed=1`: minimal chrome (editor, run, output) for one language. */
	embed: boolean;
	/** `?lang=python|sql`: the language shown first; null when absent or unknown. */
	lang: Language | null;
	/** `?code=`: initial editor text for that language; null when absent. */
	code: string | null;
	/** `?db=`: a bundled sample database to open (a name like `school`); null when absent. */
	db: string | null;
	/** `?step=1`: open the Python code in step mode (the stepper) instead of the plain editor. */
	step: boolean;
	/**
	 * `?trace=`: a trace to open in the Agent tab, ready to replay: a URL (this site, or another
	 * that allows CORS) or a share link's payload (src/core/trace/share-link.ts). Absent when not given.
	 */
	trace?: string;
}

const truthy = new Set(['1', 'true', 'yes', '']);
const sampleName = /^[A-Za-z0-9_-]{1,64}$/;

/** Parses the query string (`location.search` or a URLSearchParams) into start parameters. */
export function parseStartParams(search: string | URLSearchParams): StartParams {
	const p = typeof search === 'string' ? new URLSearchParams(search) : search;
	const embedRaw = p.get('embed');
	const langRaw = p.get('lang')?.toLowerCase() ?? null;
	const dbRaw = p.get('db');
	const stepRaw = p.get('step');
	return {
		embed: embedRaw !== null && truthy.has(embedRaw.toLowerCase()),
		lang: langRaw === 'python' || langRaw === 'sql' ? langRaw : null,
		code: p.get('code'),
		// Only plain names: the value becomes part of a fetch URL under ./samples/.
		db: dbRaw !== null && sampleName.test(dbRaw) ? dbRaw : null,
		step: stepRaw !== null && truthy.has(stepRaw.toLowerCase()),
		...(p.get('trace') ? { trace: p.get('trace') as string } : {})
	};
}

/** Builds a query string that reproduces the given start parameters (for share/embed links). */
export function formatStartParams(params: Partial<StartParams>): string {
	const p = new URLSearchParams();
	if (params.embed) p.set('embed', '1');
	if (params.lang) p.set('lang', params.lang);
	if (params.code != null) p.set('code', params.code);
	if (params.db) p.set('db', params.db);
	if (params.step) p.set('step', '1');
	if (params.trace) p.set('trace', params.trace);
	const s = p.toString();
	return s ? `?${s}` : '';
}

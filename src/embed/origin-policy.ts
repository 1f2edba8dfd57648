// Which origins may drive ExecLab by postMessage. Exact origins only: a wildcard would let any page
// run code in the user's tab, so none is accepted.

/** The set of origins whose messages are obeyed. */
export interface OriginPolicy {
	/** Normalised allowed origins, the app's own first. */
	readonly origins: readonly string[];
	/** Whether a message from `origin` (a MessageEvent's `origin`) is obeyed. */
	allows(origin: string): boolean;
}

/** Normalises an origin such as `HTTPS://A.example:443/` to `https://a.example`; null if it is not an exact http(s) origin. */
export function normaliseOrigin(text: string): string | null {
	const trimmed = text.trim();
	if (trimmed === '' || trimmed.includes('*')) return null;
	let url: URL;
	try {
		url = new URL(trimmed);
	} catch {
		return null;
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
	// An origin has no credentials, path, query or fragment; "https://a.example/" is tolerated.
	if (url.username || url.password || url.search || url.hash) return null;
	if (url.pathname !== '/' || /^[a-z]+:\/\/[^/]+\/./i.test(trimmed)) return null;
	return url.origin;
}

/** Splits a comma-separated list of origins; returns the valid ones and the rejected entries. */
export function parseOriginList(list: string | null | undefined): {
	origins: string[];
	rejected: string[];
} {
	const origins: string[] = [];
	const rejected: string[] = [];
	for (const entry of (list ?? '').split(',')) {
		if (entry.trim() === '') continue;
		const origin = normaliseOrigin(entry);
		if (origin === null) rejected.push(entry.trim());
		else if (!origins.includes(origin)) origins.push(origin);
	}
	return { origins, rejected };
}

/** Inputs of {@link createOriginPolicy}. */
export interface OriginPolicySources {
	/** The app's own origin (`location.origin`); always allowed. */
	ownOrigin: string;
	/** The build-time list (`VITE_EMBED_ALLOWED_ORIGINS`), comma-separated. */
	buildList?: string | null;
	/** The page's query string; every `allowOrigin` parameter is a comma-separated list. */
	search?: string | URLSearchParams;
}

/** Builds the policy from the app's origin, the build-time list and `?allowOrigin=`; rejected entries are returned for logging. */
export function createOriginPolicy(sources: OriginPolicySources): {
	policy: OriginPolicy;
	rejected: string[];
} {
	const own = normaliseOrigin(sources.ownOrigin);
	const params =
		typeof sources.search === 'string' || sources.search === undefined
			? new URLSearchParams(sources.search ?? '')
			: sources.search;
	const lists = [sources.buildList ?? '', ...params.getAll('allowOrigin')];
	const parsed = parseOriginList(lists.join(','));
	const origins = own === null ? parsed.origins : [own, ...parsed.origins.filter((o) => o !== own)];
	const allowed = new Set(origins);
	return {
		// An opaque origin ("null": sandboxed frames, file:) can never be named, so never matches.
		policy: { origins, allows: (origin) => origin !== 'null' && allowed.has(origin) },
		rejected: parsed.rejected
	};
}

/** Whether the host is this machine. */
export function isLoopback(host: string): boolean {
	const h = host.replace(/^\[|\]$/g, '');
	return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\./.test(h);
}

/** Whether the host is a private-network address (RFC 1918, link-local, ULA, .local). */
export function isPrivate(host: string): boolean {
	const h = host.replace(/^\[|\]$/g, '');
	return (
		/^10\./.test(h) ||
		/^192\.168\./.test(h) ||
		/^172\.(1[6-9]|2\d|3[01])\./.test(h) ||
		/^169\.254\./.test(h) ||
		/^f[cd][0-9a-f]{2}:/i.test(h) ||
		/^fe80:/i.test(h) ||
		h.endsWith('.local')
	);
}

/** Parses a URL, or undefined when it is not one. */
export function safeUrl(url: string): URL | undefined {
	try {
		return new URL(url);
	} catch {
		return undefined;
	}
}

/** The URL without its query string (no key can hide in it). */
export function stripQuery(url: string): string {
	const u = safeUrl(url);
	return u ? `${u.origin}${u.pathname}` : url.split('?')[0];
}

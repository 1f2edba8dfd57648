// Plain ESM with JSDoc (types in content-policy.d.ts), like isolation-headers.js and for the same
// users: the service worker, vite.config.ts (dev and preview servers), the e2e rig and
// bench/server.mjs. The Content-Security-Policy of the app page and of the confined workers.

/**
 * The policy of the Python and SQL workers: they may load and fetch only this origin's files and
 * compile WebAssembly; no eval or `Function`, no other origin, no nested workers (a same-origin
 * one could be the unconfined network worker), nothing else (`default-src 'none'`).
 */
export const workerPolicy = [
	"default-src 'none'",
	"script-src 'self' 'wasm-unsafe-eval'",
	"connect-src 'self'",
	"worker-src 'none'"
].join('; ');

// The confined workers' entry scripts: built as assets/python.worker-<hash>.js and
// assets/sql.worker-<hash>.js, served by Vite's dev server as /workers/python.worker.ts. The
// network worker (python-network.worker) does not match: it is the one meant to go out.
const confinedWorker = /\/(?:python|sql)\.worker(?:-[\w-]+)?\.(?:js|ts)$/;

/** Whether a URL path is the entry script of a confined worker (Python or SQL). */
export function isConfinedWorkerScript(pathname) {
	return confinedWorker.test(pathname);
}

/**
 * The app page's policy. `frameAncestors` (origins, header only: a meta tag cannot carry it) and
 * `scriptHashes` ('sha256-…' of inline scripts a server adds, e.g. the bench's) are optional.
 * @param {{ frameAncestors?: readonly string[]; scriptHashes?: readonly string[] }} [options]
 * @returns {string}
 */
export function pagePolicy(options = {}) {
	const hashes = (options.scriptHashes ?? []).map((hash) => ` '${hash}'`).join('');
	const directives = [
		"default-src 'self'",
		`script-src 'self' 'wasm-unsafe-eval'${hashes}`,
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data:",
		'connect-src *',
		"worker-src 'self'",
		"object-src 'none'",
		"base-uri 'none'",
		"form-action 'none'"
	];
	if (options.frameAncestors) {
		directives.push(`frame-ancestors 'self'${options.frameAncestors.map((o) => ` ${o}`).join('')}`);
	}
	return directives.join('; ');
}

/**
 * The CSP header a server sends with a response: the worker policy on confined worker scripts,
 * the page policy (with `frameAncestors` when given) on HTML pages, none otherwise.
 * @param {string} pathname
 * @param {{ html: boolean; frameAncestors?: readonly string[] }} options
 * @returns {Record<string, string>}
 */
export function policyHeaders(pathname, options) {
	if (isConfinedWorkerScript(pathname)) return { 'Content-Security-Policy': workerPolicy };
	if (options.html) {
		return { 'Content-Security-Policy': pagePolicy({ frameAncestors: options.frameAncestors }) };
	}
	return {};
}

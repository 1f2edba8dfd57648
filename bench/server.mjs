// Static server for the bench: serves dist/ like a static host (ETag + Last-Modified, so a warm
// reload gets 304s as it would in production), with the app's isolation headers
// (workers/isolation-headers.js), and maps /bench/* to bench/pages/ so the bare Pyodide page loads
// the very same dist/vendor/pyodide files.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isolationHeaders } from '../workers/isolation-headers.js';
import { policyHeaders } from '../workers/content-policy.js';

const types = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript',
	'.mjs': 'text/javascript',
	'.css': 'text/css',
	'.json': 'application/json',
	'.wasm': 'application/wasm',
	'.zip': 'application/zip',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.woff2': 'font/woff2',
	'.sqlite': 'application/vnd.sqlite3',
	'.webmanifest': 'application/manifest+json'
};

/** Resolves a URL path to a file under one of the mounted folders, or null when outside them. */
function locate(mounts, pathname) {
	for (const [prefix, dir] of mounts) {
		if (!pathname.startsWith(prefix)) continue;
		const path = normalize(join(dir, decodeURIComponent(pathname.slice(prefix.length - 1))));
		if (!path.startsWith(dir)) return null;
		try {
			return statSync(path).isDirectory() ? join(path, 'index.html') : path;
		} catch {
			return path;
		}
	}
	return null;
}

// Pyodide as npm ships it, for the bare-loadPyodide baseline: the app's vendor/pyodide/ differs in
// its python_stdlib.zip, to which the build adds bytecode (scripts/stdlib-pyc.ts).
const stockPyodide = fileURLToPath(new URL('../node_modules/pyodide/', import.meta.url));

/**
 * Serves dist/ (bench/pages/ under /bench/, npm's pyodide/ under /bench/pyodide/) on 127.0.0.1 at a
 * free port. Resolves to {url, close, setHeadScript, nextReport}: `setHeadScript(text)` puts an
 * inline script first in every HTML page served from then on (null removes it), and what a page
 * POSTs to /__bench-report is handed, parsed, to `nextReport(timeoutMs)` in order of arrival.
 */
export async function serveBench({ dist, pages, pyodide = stockPyodide, isolated = true }) {
	// Longest prefix first: /bench/pyodide/ wins over /bench/, which wins over /.
	const mounts = [
		['/bench/pyodide/', resolve(pyodide)],
		['/bench/', resolve(pages)],
		['/', resolve(dist)]
	];
	const etags = new Map();
	let headScript = null;
	const reports = [];
	const waiters = [];
	const deliver = (report) => (waiters.length ? waiters.shift()(report) : reports.push(report));
	const server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const headers = { 'Cache-Control': 'no-cache', ...(isolated ? isolationHeaders : {}) };
		if (url.pathname === '/__bench-report' && req.method === 'POST') {
			let body = '';
			req.on('data', (chunk) => (body += chunk));
			req.on('end', () => {
				try {
					deliver(JSON.parse(body));
				} catch {
					deliver({ error: `unreadable report: ${body.slice(0, 200)}` });
				}
				res.writeHead(204, headers).end();
			});
			return;
		}
		const path = locate(mounts, url.pathname);
		if (!path) {
			res.writeHead(403, headers).end();
			return;
		}
		let stat;
		try {
			stat = statSync(path);
		} catch {
			res.writeHead(404, headers).end('not found');
			return;
		}
		const html = extname(path) === '.html' && headScript !== null;
		const key = `${path}:${stat.mtimeMs}:${stat.size}:${html ? headScript : ''}`;
		let entry = etags.get(path);
		if (!entry || entry.key !== key) {
			let body = readFileSync(path);
			if (html) {
				// First in <head>, before the page's CSP meta tag: it runs before that policy
				// applies (the policy forbids inline script); what it does later is subject to it.
				const text = body
					.toString('utf8')
					.replace('<head>', `<head><script>${headScript}</script>`);
				body = Buffer.from(text, 'utf8');
			}
			const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
			entry = { key, body, etag };
			etags.set(path, entry);
		}
		// The worker policy on the confined workers; the page's own policy is its meta tag.
		Object.assign(headers, policyHeaders(url.pathname, { html: false }));
		headers['ETag'] = entry.etag;
		headers['Last-Modified'] = stat.mtime.toUTCString();
		if (req.headers['if-none-match'] === entry.etag) {
			res.writeHead(304, headers).end();
			return;
		}
		res.writeHead(200, {
			...headers,
			'Content-Type': types[extname(path)] ?? 'application/octet-stream',
			'Content-Length': entry.body.length
		});
		res.end(req.method === 'HEAD' ? undefined : entry.body);
	});
	await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return {
		url: `http://127.0.0.1:${port}/`,
		setHeadScript: (text) => {
			headScript = text;
		},
		nextReport: (timeoutMs) =>
			reports.length
				? Promise.resolve(reports.shift())
				: new Promise((ok, fail) => {
						const waiter = (report) => {
							clearTimeout(timer);
							ok(report);
						};
						const timer = setTimeout(() => {
							waiters.splice(waiters.indexOf(waiter), 1);
							fail(new Error(`no report from the page within ${timeoutMs} ms`));
						}, timeoutMs);
						waiters.push(waiter);
					}),
		close: () =>
			new Promise((ok) => {
				server.closeAllConnections?.();
				server.close(() => ok());
			})
	};
}

import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { isolationHeaders } from '../../workers/isolation-headers.js';
import { policyHeaders } from '../../workers/content-policy.js';

const types: Record<string, string> = {
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

/** The built app the e2e tests serve: `EXECLAB_DIST` when set (so parallel builds need not share one folder), else dist/. */
export const distDir: string = resolve(process.env.EXECLAB_DIST ?? 'dist');

/** A running static server. */
export interface StaticServer {
	url: string;
	port: number;
	close(): Promise<void>;
}

/** Options of {@link serveStatic}. */
export interface ServeOptions {
	/** Folder to serve; default the built app in dist/. */
	root?: string;
	/** Send COOP/COEP/CORP so the page is cross-origin isolated; default true. */
	isolated?: boolean;
	/** Send the CSP headers (page policy on HTML, worker policy on worker scripts); default true. */
	contentPolicy?: boolean;
	/** Origins for the page policy's frame-ancestors (as when VITE_EMBED_ALLOWED_ORIGINS is set). */
	frameAncestors?: string[];
	/** Extra routes answered before files (path → body or handler). */
	routes?: Record<string, string | ((url: URL) => { type: string; body: string | Buffer })>;
}

/** Serves a folder on 127.0.0.1 at a free port, like a static host (headers optional). */
export async function serveStatic(options: ServeOptions = {}): Promise<StaticServer> {
	const root = resolve(options.root ?? distDir);
	const isolated = options.isolated ?? true;
	const policy = (path: string) =>
		options.contentPolicy === false
			? {}
			: policyHeaders(path, {
					html: extname(path) === '.html',
					frameAncestors: options.frameAncestors
				});
	const server: Server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const headers: Record<string, string> = {
			'Cache-Control': 'no-cache',
			...(isolated ? isolationHeaders : {})
		};
		const route = options.routes?.[url.pathname];
		if (route !== undefined) {
			const r =
				typeof route === 'string' ? { type: 'text/html; charset=utf-8', body: route } : route(url);
			res.writeHead(200, { ...headers, 'Content-Type': r.type });
			res.end(r.body);
			return;
		}
		let path = normalize(join(root, decodeURIComponent(url.pathname)));
		if (!path.startsWith(root)) {
			res.writeHead(403).end();
			return;
		}
		try {
			if (statSync(path).isDirectory()) path = join(path, 'index.html');
			const body = readFileSync(path);
			res.writeHead(200, {
				...headers,
				...policy(path),
				'Content-Type': types[extname(path)] ?? 'application/octet-stream'
			});
			res.end(body);
		} catch {
			res.writeHead(404, headers).end('not found');
		}
	});
	await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return {
		url: `http://127.0.0.1:${port}/`,
		port,
		close: () => new Promise<void>((ok) => server.close(() => ok()))
	};
}

/** Launches Debian's Chromium headless with a fresh profile, as the brief prescribes. */
export async function launchChromium(): Promise<Browser> {
	const userDataDir = mkdtempSync(join(tmpdir(), 'execlab-chromium-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run'
		]
	});
	const browser = context.browser();
	if (browser) return browser;
	// A persistent context has no Browser object; wrap it so callers can use newPage/close.
	return {
		newPage: () => context.newPage(),
		close: () => context.close(),
		contexts: () => [context]
	} as unknown as Browser;
}

/** Opens a page, echoing the page's console errors and crashes into the test output. */
export async function openPage(browser: Browser, url: string): Promise<Page> {
	const page = await browser.newPage();
	page.on('console', (msg) => {
		if (msg.type() === 'error') console.error('[page]', msg.text());
	});
	page.on('pageerror', (err) => console.error('[page error]', err.message));
	await page.goto(url);
	return page;
}

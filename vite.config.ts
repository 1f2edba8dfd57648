import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { copyVendorAssets } from './scripts/vendor-assets.ts';
import { makeSamples } from './scripts/make-samples.ts';
import { isolationHeaders } from './workers/isolation-headers.js';
import { pagePolicy, policyHeaders } from './workers/content-policy.js';
import { parseOriginList } from './src/embed/origin-policy.ts';
import { readFile } from 'node:fs/promises';
import { stripComments } from './workers/python-helper.ts';

// Offline: a Workbox service worker (workers/service-worker.ts) precaches the whole build, Pyodide's
// ~10 MB wasm included, and adds the isolation headers to what it serves (README: "Offline"). The
// WebLLM library (6 MB, useful only with WebGPU and a downloaded model) is not precached: the
// worker caches it when it is first used.
function offline() {
	return VitePWA({
		strategies: 'injectManifest',
		srcDir: 'workers',
		filename: 'service-worker.ts',
		injectRegister: false,
		manifest: false,
		injectManifest: {
			rollupFormat: 'iife',
			globPatterns: ['**/*.{html,js,mjs,css,wasm,zip,json,sqlite,db,woff,woff2,ttf,svg,png,ico}'],
			globIgnores: [`assets/${webLlmChunk}-*.js`],
			maximumFileSizeToCacheInBytes: 64 * 1024 * 1024
		}
	});
}

/** File name prefix of the chunk holding the WebLLM library (see the service worker's route). */
export const webLlmChunk = 'web-llm';

// src/main.ts spawns the workers and then imports the UI (src/start-app.ts); the UI chunk is
// fetched and compiled meanwhile rather than after the entry has run.
function preloadUi(): Plugin {
	return {
		name: 'execlab-preload-ui',
		apply: 'build',
		transformIndexHtml: {
			order: 'post',
			handler(_html, ctx) {
				const ui = Object.values(ctx.bundle ?? {}).find(
					(c) => c.type === 'chunk' && c.facadeModuleId?.endsWith('/src/start-app.ts')
				);
				if (ui?.type !== 'chunk') return [];
				// The chunk and the chunks it imports statically (shared with lazy views).
				const entries = new Set(
					Object.values(ctx.bundle ?? {}).flatMap((c) =>
						c.type === 'chunk' && c.isEntry ? [c.fileName] : []
					)
				);
				const files = [ui.fileName, ...ui.imports.filter((f) => !entries.has(f))];
				return files.map((file) => ({
					tag: 'link',
					attrs: { rel: 'modulepreload', crossorigin: '', href: `./${file}` },
					injectTo: 'head' as const
				}));
			}
		}
	};
}

// The Content-Security-Policy (workers/content-policy.js; README: "Network confinement"): a meta
// tag in the page (any static host), and from the dev and preview servers the page policy as a
// header (with frame-ancestors when VITE_EMBED_ALLOWED_ORIGINS names the embedding origins) and
// the worker policy on the confined workers' scripts.
function contentPolicy(): Plugin {
	let frameAncestors: string[] | undefined;
	const middleware = (
		req: { url?: string; headers: { accept?: string } },
		res: { setHeader(name: string, value: string): void },
		next: () => void
	) => {
		const { pathname } = new URL(req.url ?? '/', 'http://localhost');
		const html =
			/(?:\/|\.html)$/.test(pathname) || (req.headers.accept ?? '').includes('text/html');
		for (const [name, value] of Object.entries(policyHeaders(pathname, { html, frameAncestors }))) {
			res.setHeader(name, value);
		}
		next();
	};
	return {
		name: 'execlab-content-policy',
		configResolved(config) {
			const { origins } = parseOriginList(config.env.VITE_EMBED_ALLOWED_ORIGINS);
			frameAncestors = origins.length > 0 ? origins : undefined;
		},
		configureServer: (server) => void server.middlewares.use(middleware),
		configurePreviewServer: (server) => void server.middlewares.use(middleware),
		transformIndexHtml: () => [
			{
				tag: 'meta',
				attrs: { 'http-equiv': 'Content-Security-Policy', content: pagePolicy() },
				injectTo: 'head-prepend' as const
			}
		]
	};
}

// The Python helper's .py files ship without their comment-only lines, as the JS ships minified;
// workers/python-helper.ts's joinHelper strips the same lines from any text, so the installed
// source and its version are the same here, in Node tests and in the build's bytecode step.
function pythonSources(): Plugin {
	return {
		name: 'execlab-python-sources',
		enforce: 'pre',
		async load(id) {
			const [path, query] = id.split('?');
			if (query !== 'raw' || !/\/workers\/python\/[^/]+\.py$/.test(path)) return null;
			return `export default ${JSON.stringify(stripComments(await readFile(path, 'utf8')))};`;
		}
	};
}

// Parts of Svelte's runtime that only the lazily loaded views use ({#each} and {#await} blocks, form
// bindings, element size, style directives, actions, $state.snapshot; src/App.svelte says why it has
// no {#each}). Every compiled component imports the runtime's index, so without help these would sit
// in the chunk the first screen loads; Svelte's package.json does not say they are free of side
// effects (they are: declarations only), so this plugin says so and the 'svelte-lazy' group below
// gives them a chunk that only the lazy views import.
const svelteLazyRuntime =
	/node_modules[\\/]svelte[\\/]src[\\/]internal[\\/](client[\\/]dom[\\/](elements[\\/](bindings[\\/](select|input|size)|style|actions)|blocks[\\/](await|each))|shared[\\/]clone)\.js$/;

function svelteLazyParts(): Plugin {
	return {
		name: 'execlab-svelte-lazy-parts',
		apply: 'build',
		transform: {
			filter: { id: svelteLazyRuntime },
			handler: () => ({ moduleSideEffects: false })
		}
	};
}

function vendorAssets(): Plugin {
	return {
		name: 'execlab-vendor-assets',
		async buildStart() {
			await copyVendorAssets();
		}
	};
}

// Bundled sample databases (public/samples/, gitignored) are generated, not committed: rebuild them
// when missing or when their generator changed, before Vite copies public/.
function sampleDatabases(): Plugin {
	return {
		name: 'execlab-sample-databases',
		async buildStart() {
			await makeSamples();
		}
	};
}

export default defineConfig({
	base: './',
	plugins: [
		vendorAssets(),
		sampleDatabases(),
		svelte(),
		offline(),
		preloadUi(),
		contentPolicy(),
		pythonSources(),
		svelteLazyParts()
	],
	// Cross-origin isolation needs these on every response, in development as in production.
	server: { port: 5173, strictPort: true, headers: isolationHeaders },
	preview: { port: 5173, strictPort: true, headers: isolationHeaders },
	worker: { format: 'es', plugins: () => [pythonSources()] },
	optimizeDeps: { exclude: ['pyodide'] },
	build: {
		target: 'es2022',
		chunkSizeWarningLimit: 2000,
		// One stylesheet in the head: the UI chunk is imported dynamically, and its CSS must not
		// wait for that import.
		cssCodeSplit: false,
		rollupOptions: {
			output: {
				// The editor's libraries in one chunk: lazy views that use only some of them (the
				// stepper's line marker) would otherwise split what the first screen loads into
				// several files, each gzipped on its own (~1 KB more on the wire). idb-keyval is not
				// among them: only saved databases and the Eval view use it, never a Python start.
				codeSplitting: {
					groups: [
						{
							name: 'vendor',
							test: /node_modules[\\/](@codemirror[\\/](state|view|language|streamparser)|@lezer[\\/](common|highlight)|style-mod|w3c-keyname|@marijn)[\\/]|[\\/]svelte[\\/]src[\\/]internal[\\/]disclose-version\.js$|[\\/]src[\\/]core[\\/]storage-quota\.ts$/
						},
						// Only their own modules (each file a chunk's imports name, not what they import).
						{ name: 'svelte-lazy', test: svelteLazyRuntime, includeDependenciesRecursively: false }
					]
				},
				chunkFileNames: (chunk) =>
					chunk.moduleIds.some((id) => id.includes('/@mlc-ai/web-llm/'))
						? `assets/${webLlmChunk}-[hash].js`
						: 'assets/[name]-[hash].js'
			}
		}
	}
});

// Plain ESM with JSDoc (types in isolation-headers.d.ts) so that every user can import it as it is:
// the service worker and the app (bundled by Vite), vite.config.ts (dev and preview servers), the
// e2e rig, and bench/server.mjs, which Node 20 runs without a TypeScript loader.

/**
 * The headers that make a page cross-origin isolated (SharedArrayBuffer, Pyodide interrupts) and,
 * with CORP, let an isolated host page on another origin embed it.
 * @type {Readonly<Record<string, string>>}
 */
export const isolationHeaders = Object.freeze({
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Embedder-Policy': 'require-corp',
	'Cross-Origin-Resource-Policy': 'cross-origin'
});

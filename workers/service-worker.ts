// The service worker (built by vite-plugin-pwa, injectManifest): precaches the whole app (JS,
// CSS, HTML, Pyodide, sql.js, sample databases, fonts; not the optional WebLLM library, cached once
// used) so it loads and runs with the network gone, and adds COOP/COEP/CORP to what it serves so
// isolation survives hosts that send no headers, and the worker CSP to the confined workers' scripts.
import { clientsClaim, type WorkboxPlugin } from 'workbox-core';
import {
	addPlugins,
	cleanupOutdatedCaches,
	precacheAndRoute,
	type PrecacheEntry
} from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkOnly } from 'workbox-strategies';
import { withIsolationHeaders } from './isolation-response.ts';

declare const self: ServiceWorkerGlobalScope & {
	__WB_MANIFEST: (PrecacheEntry | string)[];
};

const isolation: WorkboxPlugin = {
	handlerWillRespond: async ({ request, response }) =>
		withIsolationHeaders(response, new URL(request.url).pathname)
};

// Take over at once: the first visit is then offline-ready without a second navigation.
void self.skipWaiting();
clientsClaim();
cleanupOutdatedCaches();
addPlugins([isolation]);
// Query strings (?embed=1&allowOrigin=…, ?lang=…) never select a different file in this app.
precacheAndRoute(self.__WB_MANIFEST, { ignoreURLParametersMatching: [/.*/] });
// The WebLLM library chunk is left out of the precache (6 MB for an optional feature); it is kept
// once fetched. Its name carries a content hash, so a cached copy never goes stale.
registerRoute(
	({ url }) =>
		url.origin === self.location.origin && /\/assets\/web-llm-[^/]*\.js$/.test(url.pathname),
	new CacheFirst({ cacheName: 'execlab-web-llm', plugins: [isolation] })
);
// Anything of ours not precached still gets the isolation headers (COEP applies to every subresource).
registerRoute(
	({ url, request }) => url.origin === self.location.origin && request.method === 'GET',
	new NetworkOnly({ plugins: [isolation] })
);

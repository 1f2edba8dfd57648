import { whenIdle } from '../lib/idle.ts';
import { requestPersistentStorage, type PersistState } from './persist.ts';

// Registers the service worker built from workers/service-worker.ts (precache of the whole app,
// isolation headers on what it serves) and asks for persistent storage.

/** Where the offline support stands on this page. */
export interface OfflineState {
	/** The registration, or null without service worker support (or in dev). */
	registration: ServiceWorkerRegistration | null;
	/** Resolves when a worker is active, i.e. the precache is complete. */
	ready: Promise<ServiceWorkerRegistration | null>;
	/** The answer to navigator.storage.persist(). */
	persist: Promise<PersistState>;
}

/** Options of {@link registerServiceWorker}. */
export interface RegisterOptions {
	/** Script URL relative to the page; default "./service-worker.js" (built by vite-plugin-pwa). */
	url?: string;
	/**
	 * Reload once when the worker takes control of a top-level page that is not cross-origin
	 * isolated (a host without COOP/COEP): the reloaded page gets the headers from the worker.
	 * Default true; skipped inside frames, whose isolation depends on the host page.
	 */
	reloadForIsolation?: boolean;
	/**
	 * Registration waits until this settles and the page is idle (the precache downloads the whole
	 * build, which should not compete with the first load). Not waited for when the page lacks
	 * isolation that the worker would add, since then a reload follows anyway.
	 */
	after?: Promise<unknown>;
}

const reloadKey = 'execlab.isolationReload';

/** Registers the service worker and asks for persistent storage; never throws. */
export function registerServiceWorker(options: RegisterOptions = {}): OfflineState {
	const persist = requestPersistentStorage();
	const container = globalThis.navigator?.serviceWorker;
	if (!container) return { registration: null, ready: Promise.resolve(null), persist };

	const topLevel = window.top === window;
	const reloadForIsolation = (options.reloadForIsolation ?? true) && topLevel;
	if (reloadForIsolation && !globalThis.crossOriginIsolated) {
		// Already controlled yet not isolated: a reload would not help (and would loop).
		const wouldHelp = container.controller === null;
		container.addEventListener('controllerchange', () => {
			if (!wouldHelp || sessionStorage.getItem(reloadKey) !== null) return;
			sessionStorage.setItem(reloadKey, String(Date.now()));
			location.reload();
		});
	}

	const state: OfflineState = { registration: null, ready: Promise.resolve(null), persist };
	const wait =
		options.after && !(reloadForIsolation && !globalThis.crossOriginIsolated)
			? options.after.then(idle, idle)
			: Promise.resolve();
	state.ready = wait
		.then(() => container.register(options.url ?? './service-worker.js', { scope: './' }))
		.then(async (registration) => {
			state.registration = registration;
			await container.ready;
			return registration;
		})
		.catch((error: unknown) => {
			console.warn('[execlab offline] service worker not registered:', error);
			return null;
		});
	return state;
}

// The next idle period (at most 2 s away).
function idle(): Promise<void> {
	return new Promise((resolve) => whenIdle(resolve, 2000));
}

import { version } from '../../package.json';
import type { Runtime } from '../core/runtime.ts';
import { contractVersion, type ReadyMessage } from './contract.ts';
import { registerCoreHandlers, type CoreHandlerOptions } from './core-handlers.ts';
import { createEmbedDispatcher } from './dispatcher.ts';
import { forwardMessage, type EmbedListener } from './listener.ts';
import { createOriginPolicy } from './origin-policy.ts';
import { embedRegistry, type EmbedRegistry } from './registry.ts';

/** Options of {@link startEmbed}. */
export interface StartEmbedOptions extends CoreHandlerOptions {
	runtime: Runtime;
	/** The window to listen on; default the global one. */
	window?: Window;
	/** Default {@link embedRegistry} (where other features register their request types). */
	registry?: EmbedRegistry;
	/** Comma-separated allowed origins; default the build-time `VITE_EMBED_ALLOWED_ORIGINS`. */
	allowedOrigins?: string;
}

/** The parent's origin as far as the page can tell (Chromium/WebKit: ancestorOrigins; else the referrer). */
function parentOrigin(win: Window): string | null {
	const ancestor = win.location.ancestorOrigins?.[0];
	if (ancestor) return ancestor;
	try {
		return win.document.referrer ? new URL(win.document.referrer).origin : null;
	} catch {
		return null;
	}
}

/** Whether a service worker controls this page (false where the browser denies it service workers). */
function serviceWorkerControls(win: Window): boolean {
	try {
		return Boolean(win.navigator.serviceWorker?.controller);
	} catch {
		// A frame denied storage (e.g. third-party storage blocked) throws on access.
		return false;
	}
}

/** Listens for contract v1 messages and, inside a frame, posts `ready` to an allowed parent. */
export function startEmbed(options: StartEmbedOptions): EmbedListener {
	const win = options.window ?? window;
	const registry = options.registry ?? embedRegistry;
	registerCoreHandlers(registry, options.runtime, options);
	const { policy, rejected } = createOriginPolicy({
		ownOrigin: win.location.origin,
		buildList: options.allowedOrigins ?? import.meta.env.VITE_EMBED_ALLOWED_ORIGINS ?? '',
		search: win.location.search
	});
	if (rejected.length > 0) {
		console.warn(`[execlab embed] not exact http(s) origins, ignored: ${rejected.join(', ')}`);
	}
	const dispatcher = createEmbedDispatcher({ registry, policy });

	const onMessage = (event: MessageEvent) => forwardMessage(dispatcher, event);
	const onPageHide = () => dispatcher.abortAll();
	win.addEventListener('message', onMessage);
	win.addEventListener('pagehide', onPageHide);

	let ready: ReadyMessage | null = null;
	if (win.parent !== win) {
		const isolated = globalThis.crossOriginIsolated === true;
		const message: ReadyMessage = {
			execlab: contractVersion,
			type: 'ready',
			version,
			isolated,
			capabilities: {
				contract: contractVersion,
				languages: ['python', 'sql'],
				messages: registry.types(),
				interrupts: isolated,
				offline: serviceWorkerControls(win)
			}
		};
		const origin = parentOrigin(win);
		// Only an allowed parent learns we are here; the others get silence, as for their requests.
		const targets = origin === null ? policy.origins : policy.allows(origin) ? [origin] : [];
		for (const target of targets) win.parent.postMessage(message, target);
		if (targets.length > 0) ready = message;
		else
			console.debug(`[execlab embed] no ready posted: parent ${origin} is not an allowed origin`);
	}

	return {
		policy,
		dispatcher,
		ready,
		stop() {
			win.removeEventListener('message', onMessage);
			win.removeEventListener('pagehide', onPageHide);
			dispatcher.abortAll();
		}
	};
}

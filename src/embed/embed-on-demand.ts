// The embed contract's listener without its code at start: the dispatcher, the request schemas
// (zod) and the handlers are a lazy chunk, loaded at once inside a frame (so `ready` is prompt)
// and otherwise on the first message; messages that arrive while it loads are answered after.
import type { ReadyMessage } from './contract.ts';
import type { EmbedDispatcher, Reply } from './dispatcher.ts';
import { forwardMessage, type EmbedListener } from './listener.ts';
import type { OriginPolicy } from './origin-policy.ts';

/**
 * An {@link EmbedListener} whose real listener (from `load`, e.g. `startEmbed`) is imported inside
 * a frame at once, in a top-level page on the first message or `dispatcher.handle` call.
 */
export function startEmbedOnDemand(
	load: () => Promise<EmbedListener>,
	win: Window = window
): EmbedListener & { loaded: Promise<EmbedListener> | null } {
	let real: EmbedListener | null = null;
	let loading: Promise<EmbedListener> | null = null;
	let stopped = false;
	const waiting: MessageEvent[] = [];
	const start = () =>
		(loading ??= load().then((listener) => {
			win.removeEventListener('message', onEarlyMessage);
			real = listener;
			if (stopped) listener.stop();
			else for (const event of waiting.splice(0)) forwardMessage(listener.dispatcher, event);
			return listener;
		}));
	// Only until the real listener (which has its own) is there.
	const onEarlyMessage = (event: MessageEvent) => {
		waiting.push(event);
		void start();
	};
	win.addEventListener('message', onEarlyMessage);
	if (win.parent !== win) void start();

	const dispatcher: EmbedDispatcher = {
		async handle(data, origin, reply: Reply) {
			return (await start()).dispatcher.handle(data, origin, reply);
		},
		abortAll() {
			real?.dispatcher.abortAll();
		}
	};
	return {
		get loaded() {
			return loading;
		},
		get policy(): OriginPolicy {
			if (!real) throw new Error('The embed listener is not loaded yet (see `loaded`)');
			return real.policy;
		},
		get ready(): ReadyMessage | null {
			return real?.ready ?? null;
		},
		dispatcher,
		stop() {
			stopped = true;
			win.removeEventListener('message', onEarlyMessage);
			real?.stop();
		}
	};
}

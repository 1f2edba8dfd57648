// What a started embed listener is, and how it hands a window's message to its dispatcher; shared
// by the listener (start-embed.ts) and its on-demand stand-in (embed-on-demand.ts).
import type { ReadyMessage } from './contract.ts';
import type { EmbedDispatcher } from './dispatcher.ts';
import type { OriginPolicy } from './origin-policy.ts';

/** A started embed listener. */
export interface EmbedListener {
	policy: OriginPolicy;
	dispatcher: EmbedDispatcher;
	/** The `ready` message posted to the parent, or null when none was posted. */
	ready: ReadyMessage | null;
	/** Removes the listener and aborts what is in flight. */
	stop(): void;
}

/** Hands one `message` event to the dispatcher, replying to its source window at its origin. */
export function forwardMessage(dispatcher: EmbedDispatcher, event: MessageEvent): void {
	const source = event.source;
	if (!source || !('postMessage' in source)) {
		console.debug('[execlab embed] ignored a message without a source window', event.data);
		return;
	}
	const target = source as Window;
	void dispatcher.handle(event.data, event.origin, (message) =>
		target.postMessage(message, event.origin)
	);
}

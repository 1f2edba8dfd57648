// The page's embed listener with every request type (core and agent) registered; loaded on
// demand by src/embed/embed-on-demand.ts, so zod and the handlers stay out of the start-up code.
import { registerAgentHandlers } from './agent-handlers.ts';
import { lazyEmbedRuntime, type RuntimeClients } from './lazy-runtime.ts';
import { embedRegistry } from './registry.ts';
import { startEmbed, type EmbedListener } from './start-embed.ts';

/** Registers the agent handlers (first, so `ready` lists them) and starts the listener. */
export function startPageEmbed(
	currentDb: () => string | null | Promise<string | null>
): EmbedListener {
	registerAgentHandlers(embedRegistry);
	return startEmbed({
		runtime: lazyEmbedRuntime(
			() => import('../runtime/index.ts').then((m) => m.runtime as RuntimeClients),
			currentDb
		)
	});
}

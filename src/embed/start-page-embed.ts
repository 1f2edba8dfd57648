// The page's embed listener with every request type (core and agent) registered; loaded on
// demand by src/embed/embed-on-demand.ts, so zod and the handlers stay out of the start-up code.
import { agentEnvironment, pageTraceStore } from '../runtime/agent-environment.ts';
import { runtime } from '../runtime/index.ts';
import { registerAgentHandlers } from './agent-handlers.ts';
import { registerEvalRunHandler } from './eval-run-handler.ts';
import { registerExportHandler } from './export-handler.ts';
import { registerHistoryHandler } from './history-handler.ts';
import type { EmbedListener } from './listener.ts';
import { embedRegistry } from './registry.ts';
import { registerScoreHandler } from './score-handler.ts';
import { registerReplayHandler } from './replay-handler.ts';
import { startEmbed } from './start-embed.ts';

/** Registers the agent handlers (first, so `ready` lists them) and starts the listener. */
export function startPageEmbed(
	currentDb: () => string | null | Promise<string | null>
): EmbedListener {
	registerAgentHandlers(embedRegistry, agentEnvironment);
	registerScoreHandler(embedRegistry, runtime);
	registerReplayHandler(embedRegistry, agentEnvironment);
	registerExportHandler(embedRegistry);
	registerEvalRunHandler(embedRegistry);
	registerHistoryHandler(embedRegistry, () => pageTraceStore().then((s) => s.list()));
	return startEmbed({ runtime, currentDb });
}

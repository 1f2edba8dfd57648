import { agentRunSchema, stopSchema, type AgentRunRequest } from './agent-contract.ts';
import type { AgentRuntime } from './agent-runtime.ts';
import type { EmbedRegistry } from './registry.ts';

/** Dependencies of {@link registerAgentHandlers}; the page's workers by default. */
export interface AgentHandlerOptions {
	/** The engines an agent-run uses (tests pass real Node engines). */
	loadRuntime?: () => Promise<AgentRuntime>;
}

/**
 * Registers `agent-run` (events streamed, then a result with the trace) and `stop` (ends the
 * running request with the same id). The loop, presets and providers load on the first run.
 */
export function registerAgentHandlers(
	registry: EmbedRegistry,
	options: AgentHandlerOptions = {}
): void {
	registry.register('agent-run', {
		schema: agentRunSchema,
		async handle(request: AgentRunRequest, context) {
			const [{ runAgentRequest }, runtime] = await Promise.all([
				import('./agent-run.ts'),
				options.loadRuntime?.() ?? import('./agent-runtime.ts').then((m) => m.loadAgentRuntime())
			]);
			return runAgentRequest(request, runtime, (event) => context.emit(event), context.signal);
		}
	});

	registry.register('stop', {
		schema: stopSchema,
		handle(_request, context) {
			// The stopped run answers with its own result (its trace ends with a `stop` event).
			if (context.cancel(context.id) > 0) return null;
			return {
				ok: false,
				error: {
					type: 'NotRunning',
					message: `Nothing with id ${JSON.stringify(context.id)} is running.`
				}
			};
		}
	});
}

import type { AgentEnvironment } from '../core/agent/agent-run.ts';
import { agentRunSchema, stopSchema, type AgentRunRequest } from './agent-contract.ts';
import type { EmbedRegistry } from './registry.ts';

/**
 * Registers `agent-run` (events streamed, then a result with the trace) and `stop` (ends the
 * running request with the same id), running agents in `env` (the page's workers, or real Node
 * engines in tests). The loop, presets and providers load on the first run.
 */
export function registerAgentHandlers(registry: EmbedRegistry, env: AgentEnvironment): void {
	registry.register('agent-run', {
		schema: agentRunSchema,
		async handle(request: AgentRunRequest, context) {
			const { runAgentRequest } = await import('./agent-run.ts');
			return runAgentRequest(
				request,
				env,
				(event) => context.emit(event),
				context.signal,
				context.origin
			);
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

import { z } from 'zod';
import type { AgentEnvironment } from '../core/agent/agent-run.ts';
import { envelopeShape } from './contract.ts';
import type { EmbedRegistry, ResultBody } from './registry.ts';
import { oneTraceField } from './trace-field.ts';

/**
 * `replay`: replays a trace through the loop with live execution. `speed` paces the replayed model
 * text in characters per second (default: as fast as possible).
 */
export const replaySchema = z.strictObject({
	...envelopeShape,
	type: z.literal('replay'),
	trace: oneTraceField,
	speed: z.number().positive().max(1_000_000).optional()
});

/** A validated `replay` request. */
export type ReplayRequest = z.infer<typeof replaySchema>;

let replays = 0;

/**
 * Registers `replay`: every loop event is posted as `{type: 'event', id, event}`, then the result
 * `{ok, divergences: [{action, expected, actual}]}` (observations that differ from the recorded
 * ones, src/core/trace/divergence.ts). `ok` is false when the run ended in an error or did not
 * start. A `stop` with the same id ends it. The loop and engines load on the first replay.
 */
export function registerReplayHandler(registry: EmbedRegistry, env: AgentEnvironment): void {
	registry.register('replay', {
		schema: replaySchema,
		async handle(request: ReplayRequest, context): Promise<ResultBody> {
			const [{ runAgentService }, { replayTurnsFromTrace }, { DivergenceTracker }, { traceToV1 }] =
				await Promise.all([
					import('../core/agent/agent-run.ts'),
					import('../core/agent/replay-turns.ts'),
					import('../core/trace/divergence.ts'),
					import('../core/trace/trace-v2.ts')
				]);
			const trace = traceToV1(request.trace);
			const tracker = new DivergenceTracker(trace.events);
			const session = `embed-replay-${++replays}`;
			const { header } = trace;
			try {
				const outcome = await runAgentService(
					{
						presetId: header.presetId,
						task: header.task,
						provider: {
							kind: 'replay',
							turns: replayTurnsFromTrace(trace),
							model: header.provider.model,
							...(request.speed ? { charsPerSecond: request.speed } : {})
						},
						mode: header.mode,
						budgets: header.budgets,
						template: header.template,
						sampling: header.sampling,
						session,
						signal: context.signal,
						// Saved as the host's run, never as one of the user's own (README: History).
						source: { kind: 'embed', origin: context.origin }
					},
					env,
					(event) => {
						tracker.observe(event);
						context.emit(event);
					}
				);
				if (outcome.refused !== undefined) return refusal(outcome);
				const divergences = [...tracker.finish(outcome.stopReason)];
				const body: ResultBody = {
					ok: outcome.stopReason !== null && outcome.stopReason !== 'error',
					divergences
				};
				if (outcome.error)
					body.error = { type: outcome.error.code, message: outcome.error.message };
				return body;
			} finally {
				if ('description' in header.task)
					void env.runtime.python.reset(session).catch(() => undefined);
			}
		}
	});
}

/** The result of a replay that did not start. */
function refusal(outcome: { refused: string; message?: string; db?: string }): ResultBody {
	const message =
		outcome.refused === 'database'
			? `trace.header.task.db "${outcome.db}" is neither open nor a bundled sample (${outcome.message}); load it with load-db first`
			: `trace.header: the recorded preset does not take the recorded task (${outcome.refused})`;
	return {
		ok: false,
		divergences: [],
		error: {
			type: outcome.refused === 'database' ? 'UnknownDatabase' : 'InvalidMessage',
			message
		}
	};
}

import { runAgentService, type AgentEnvironment } from '../core/agent/agent-run.ts';
import { replayTurnsFromTrace } from '../core/agent/replay-turns.ts';
import type { ProviderConfig } from '../core/providers/index.ts';
import type { AgentEvent } from '../core/trace/events.ts';
import { importTrace } from '../core/trace/trace.ts';
import type { AgentProviderRequest, AgentRunRequest } from './agent-contract.ts';
import type { ResultBody } from './registry.ts';

/** The provider settings of a request as the provider factory takes them. */
export function providerConfigOf(p: AgentProviderRequest): ProviderConfig {
	switch (p.kind) {
		case 'openai':
			return {
				kind: 'openai',
				baseUrl: p.baseUrl ?? 'https://api.openai.com/v1',
				model: p.model,
				...(p.apiKey ? { apiKey: p.apiKey } : {})
			};
		case 'anthropic':
			return {
				kind: 'anthropic',
				model: p.model,
				...(p.baseUrl ? { baseUrl: p.baseUrl } : {}),
				...(p.apiKey ? { apiKey: p.apiKey } : {})
			};
		case 'webllm':
			return { kind: 'webllm', model: p.model };
		case 'replay':
			return {
				kind: 'replay',
				turns: p.turns ?? replayTurnsFromTrace(importTrace(p.trace)),
				...(p.model ? { model: p.model } : {}),
				...(p.charsPerSecond ? { charsPerSecond: p.charsPerSecond } : {})
			};
	}
}

/**
 * Runs a validated `agent-run` through the agent-run service: every loop event goes to `emit`, the
 * result carries the trace; the run is saved as from `origin` (the host's). `ok` is false only when the run ended in an error (the error is in
 * `error`, with the doctor's fixes), or did not start (the request's fault, said in `error`).
 */
export async function runAgentRequest(
	request: AgentRunRequest,
	env: AgentEnvironment,
	emit: (event: AgentEvent) => void,
	signal: AbortSignal,
	origin?: string
): Promise<ResultBody> {
	const outcome = await runAgentService(
		{
			presetId: request.preset,
			task: request.task,
			provider: () => providerConfigOf(request.provider),
			signal,
			source: { kind: 'embed', ...(origin ? { origin } : {}) },
			...(request.mode ? { mode: request.mode } : {}),
			...(request.budgets ? { budgets: request.budgets } : {}),
			...(request.template ? { template: request.template } : {}),
			...(request.sampling ? { sampling: request.sampling } : {})
		},
		env,
		emit
	);
	switch (outcome.refused) {
		case 'task-kind': {
			const { preset, kind } = outcome;
			const message = `preset "${preset.id}" takes ${preset.kinds.join(' or ')} tasks, not a ${kind} task`;
			return { ok: false, error: { type: 'InvalidMessage', message } };
		}
		case 'provider':
			return {
				ok: false,
				error: { type: 'InvalidMessage', message: `provider.trace: ${String(outcome.error)}` }
			};
		case 'database':
			return {
				ok: false,
				error: {
					type: 'UnknownDatabase',
					message: `task.db "${outcome.db}" is neither open nor a bundled sample (${outcome.message}); load it with load-db first`
				}
			};
	}
	const { trace, stopReason, reward, error } = outcome;
	const body: ResultBody = {
		ok: stopReason !== null && stopReason !== 'error',
		trace,
		stopReason,
		reward
	};
	if (error) {
		body.error = {
			type: error.code,
			message: error.message,
			...(error.fixes ? { fixes: error.fixes } : {})
		} as ResultBody['error'];
	}
	return body;
}

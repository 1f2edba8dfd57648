import { runAgent } from '../core/agent/loop.ts';
import { getPreset } from '../core/presets/index.ts';
import { createProvider, type ProviderConfig } from '../core/providers/index.ts';
import type { AgentEvent } from '../core/trace/events.ts';
import { importTrace, traceFromEvents } from '../core/trace/trace.ts';
import type { AgentProviderRequest, AgentRunRequest } from './agent-contract.ts';
import { replayTurnsFromTrace, type AgentRuntime } from './agent-runtime.ts';
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
 * Runs a validated `agent-run`: every loop event goes to `emit`, the result carries the trace.
 * `ok` is false only when the run ended in an error (the error is in `error`, with the doctor's fixes).
 */
export async function runAgentRequest(
	request: AgentRunRequest,
	runtime: AgentRuntime,
	emit: (event: AgentEvent) => void,
	signal: AbortSignal
): Promise<ResultBody> {
	const preset = getPreset(request.preset);
	const kind = 'question' in request.task ? 'sql' : 'python';
	if (!preset.kinds.includes(kind)) {
		return {
			ok: false,
			error: {
				type: 'InvalidMessage',
				message: `preset "${preset.id}" takes ${preset.kinds.join(' or ')} tasks, not a ${kind} task`
			}
		};
	}
	let config: ProviderConfig;
	try {
		config = providerConfigOf(request.provider);
	} catch (e) {
		return {
			ok: false,
			error: { type: 'InvalidMessage', message: `provider.trace: ${String(e)}` }
		};
	}
	if ('db' in request.task) {
		try {
			await runtime.ensureDb(request.task.db);
		} catch (e) {
			const message = e instanceof Error ? e.message : String(e);
			return {
				ok: false,
				error: {
					type: 'UnknownDatabase',
					message: `task.db "${request.task.db}" is neither open nor a bundled sample (${message}); load it with load-db first`
				}
			};
		}
	}
	const provider = await createProvider(config);
	const events: AgentEvent[] = [];
	for await (const event of runAgent({
		provider,
		executors: runtime.executors,
		preset,
		task: request.task,
		signal,
		engines: await runtime.engines(),
		...(request.mode ? { mode: request.mode } : {}),
		...(request.budgets ? { budgets: request.budgets } : {}),
		...(request.template ? { template: request.template } : {}),
		...(request.sampling ? { sampling: request.sampling } : {})
	})) {
		events.push(event);
		emit(event);
	}
	const trace = traceFromEvents(events);
	const stop = events.findLast((e) => e.type === 'stop');
	const reward = events.findLast((e) => e.type === 'reward');
	const failure = events.findLast((e) => e.type === 'error' && e.fatal);
	const body: ResultBody = {
		ok: stop?.type === 'stop' && stop.reason !== 'error',
		trace,
		stopReason: stop?.type === 'stop' ? stop.reason : null,
		reward: reward?.type === 'reward' ? reward.value : null
	};
	if (failure?.type === 'error') {
		body.error = {
			type: failure.code,
			message: failure.message,
			...(failure.fixes ? { fixes: failure.fixes } : {})
		} as ResultBody['error'];
	}
	return body;
}

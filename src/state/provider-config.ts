import type { ProviderConfig } from '../core/providers/index.ts';
import type { AgentSettings } from './agent-settings.svelte.ts';
import type { ReplaySource } from './replay-plan.ts';

/**
 * The Agent tab's settings as a provider config (the key comes from memory); throws a readable
 * error when a setting is missing. `replay` is what Replay plays, `pace` its characters per second,
 * `onStatus` gets a WebLLM model's loading progress.
 */
export function settingsProviderConfig(
	settings: AgentSettings,
	replay: ReplaySource | null,
	pace: number,
	onStatus: (text: string) => void
): ProviderConfig {
	const { baseUrl, model } = settings.connection;
	const key = settings.apiKey ? { apiKey: settings.apiKey } : {};
	switch (settings.kind) {
		case 'openai':
			if (!baseUrl) throw new Error('Give the server’s base URL, e.g. http://localhost:11434/v1.');
			if (!model) throw new Error('Give a model name (or list the server’s models).');
			return { kind: 'openai', baseUrl, model, ...key };
		case 'anthropic':
			if (!model) throw new Error('Give a model name.');
			return { kind: 'anthropic', model, ...(baseUrl ? { baseUrl } : {}), ...key };
		case 'webllm':
			return {
				kind: 'webllm',
				model,
				onProgress: (p) => onStatus(`Loading ${model}: ${Math.round(p.progress * 100)}%`)
			};
		case 'replay':
			if (!replay) throw new Error('Load a trace to replay first.');
			return {
				kind: 'replay',
				turns: replay.turns,
				model: replay.trace?.header.provider.model ?? 'replay',
				...(pace > 0 ? { charsPerSecond: pace } : {})
			};
		case 'manual':
			return { kind: 'manual' };
	}
}

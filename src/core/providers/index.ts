import { AnthropicProvider } from './anthropic.ts';
import { ManualProvider } from './manual.ts';
import { OpenAiProvider } from './openai.ts';
import { ReplayProvider, type ReplayTurn } from './replay.ts';
import type { Provider } from './types.ts';
import type { LoadProgress } from './webllm.ts';

/** Settings that pick and configure a provider (the embed contract's `provider` object, widened). */
export type ProviderConfig =
	| {
			kind: 'openai';
			baseUrl: string;
			apiKey?: string;
			model: string;
			headers?: Record<string, string>;
	  }
	| { kind: 'anthropic'; baseUrl?: string; apiKey?: string; model: string }
	| { kind: 'webllm'; model: string; onProgress?: (progress: LoadProgress) => void }
	| { kind: 'replay'; turns: ReplayTurn[]; charsPerSecond?: number; model?: string }
	| { kind: 'manual'; model?: string };

/** Builds the provider a config names; WebLLM's code is fetched only here, only when chosen. */
export async function createProvider(config: ProviderConfig): Promise<Provider> {
	switch (config.kind) {
		case 'openai':
			return new OpenAiProvider(config);
		case 'anthropic':
			return new AnthropicProvider(config);
		case 'webllm': {
			const { WebLlmProvider } = await import('./webllm.ts');
			return new WebLlmProvider(config);
		}
		case 'replay':
			return new ReplayProvider(config);
		case 'manual':
			return new ManualProvider(config.model);
	}
}

export { AnthropicProvider, type AnthropicOptions } from './anthropic.ts';
export { OpenAiProvider, type OpenAiOptions } from './openai.ts';
export { ReplayProvider, type ReplayOptions, type ReplayTurn } from './replay.ts';
export { ManualProvider, type ManualTurn } from './manual.ts';
export { ProviderError, isAbortError, type ProviderErrorKind } from './errors.ts';
export { detectWebGpu, type WebGpuStatus } from './webgpu.ts';
export { classifyHttpError } from './doctor.ts';
export { diagnoseFetchFailure } from './fetch-failure.ts';
export type { LoadProgress, WebLlmOptions } from './webllm.ts';
export type * from './types.ts';

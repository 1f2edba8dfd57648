import type { MLCEngine } from '@mlc-ai/web-llm';
import { abortedError, ProviderError } from './errors.ts';
import { OpenAiChunkAssembler } from './openai-chunks.ts';
import { toOpenAiMessage } from './openai.ts';
import type { GenerateRequest, Provider, StreamChunk } from './types.ts';
import { detectWebGpu, webGpuFixes, type GpuNavigator } from './webgpu.ts';

/** Progress of downloading and compiling a WebLLM model. */
export interface LoadProgress {
	/** 0…1. */
	progress: number;
	text: string;
}

/** Options of {@link WebLlmProvider}. */
export interface WebLlmOptions {
	/** A WebLLM prebuilt model id, e.g. `Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC`. */
	model: string;
	onProgress?: (progress: LoadProgress) => void;
	/** Where to look for WebGPU (tests); default `navigator`. */
	navigator?: GpuNavigator;
}

/**
 * Runs the model in the tab on WebGPU through WebLLM. This module and WebLLM itself are only
 * reached by dynamic `import()`, so neither weighs on the main bundle; WebGPU is checked before
 * WebLLM is even fetched, and its absence is a `webgpu-missing` error with fixes.
 */
export class WebLlmProvider implements Provider {
	readonly kind = 'webllm';
	readonly model: string;
	private readonly options: WebLlmOptions;
	private engine: Promise<MLCEngine> | undefined;

	constructor(options: WebLlmOptions) {
		this.options = options;
		this.model = options.model;
	}

	/** Downloads (or reads from cache) and compiles the model; later calls reuse it. */
	load(): Promise<MLCEngine> {
		this.engine ??= this.createEngine();
		// A failed load is forgotten so the next attempt retries.
		this.engine.catch(() => (this.engine = undefined));
		return this.engine;
	}

	/** Prebuilt model ids WebLLM knows, smallest VRAM first. */
	async listModels(): Promise<string[]> {
		const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
		return [...prebuiltAppConfig.model_list]
			.sort((a, b) => (a.vram_required_MB ?? 0) - (b.vram_required_MB ?? 0))
			.map((m) => m.model_id);
	}

	/** Frees the GPU memory the model holds. */
	async unload(): Promise<void> {
		const engine = this.engine;
		this.engine = undefined;
		if (engine) await (await engine).unload();
	}

	/** Streams one generation from the in-tab engine; Stop interrupts the engine. */
	async *generate(request: GenerateRequest): AsyncIterable<StreamChunk> {
		const signal = request.signal;
		const engine = await this.load();
		if (signal?.aborted) throw abortedError(signal.reason);
		const common = {
			stream: true as const,
			stream_options: { include_usage: true },
			stop: request.stop?.length ? request.stop : undefined,
			temperature: request.temperature,
			max_tokens: request.maxTokens
		};
		const onAbort = () => void engine.interruptGenerate();
		signal?.addEventListener('abort', onAbort, { once: true });
		const assembler = new OpenAiChunkAssembler();
		try {
			const chunks =
				request.mode === 'chat'
					? await engine.chat.completions.create({
							...common,
							messages: (request.messages ?? []).map(toOpenAiMessage) as never,
							tools: request.tools?.map((t) => ({
								type: 'function' as const,
								function: { name: t.name, description: t.description, parameters: t.parameters }
							}))
						})
					: await engine.completions.create({ ...common, prompt: request.prompt ?? '' });
			for await (const chunk of chunks) {
				if (signal?.aborted) throw abortedError(signal.reason);
				yield* assembler.push(chunk);
			}
		} catch (error) {
			if (signal?.aborted || error instanceof ProviderError)
				throw signal?.aborted ? abortedError(error) : error;
			throw new ProviderError('server', 'The in-browser model failed while generating.', {
				detail: error instanceof Error ? error.message : String(error),
				cause: error,
				fixes: ['Reload the page and try again; a smaller model may fit the GPU memory better.']
			});
		} finally {
			signal?.removeEventListener('abort', onAbort);
		}
		if (signal?.aborted) throw abortedError(signal.reason);
		yield* assembler.finish();
	}

	private async createEngine(): Promise<MLCEngine> {
		await assertWebGpu(this.options.navigator);
		const webllm = await import('@mlc-ai/web-llm');
		try {
			return await webllm.CreateMLCEngine(this.model, {
				initProgressCallback: (report) =>
					this.options.onProgress?.({ progress: report.progress, text: report.text })
			});
		} catch (error) {
			// WebLLM does not export its WebGPU error classes; their messages are stable.
			const message = error instanceof Error ? error.message : String(error);
			if (/WebGPU is not supported|Cannot find WebGPU/.test(message)) {
				throw webGpuMissing(error instanceof Error ? error.message : String(error), error);
			}
			throw new ProviderError(
				'network',
				`Could not load the model “${this.model}” in the browser.`,
				{
					detail: error instanceof Error ? error.message : String(error),
					cause: error,
					fixes: [
						'Check the network: the first load downloads the model (hundreds of MB to several GB) and caches it.',
						'Check that the model id is one of WebLLM’s prebuilt models, and that the disk has room for the cache.'
					]
				}
			);
		}
	}
}

/** Throws a `webgpu-missing` error unless WebGPU is usable here. */
export async function assertWebGpu(nav?: GpuNavigator): Promise<void> {
	const status = await detectWebGpu(nav ?? (globalThis as { navigator?: GpuNavigator }).navigator);
	if (!status.ok) throw webGpuMissing(status.message);
}

function webGpuMissing(detail: string, cause?: unknown): ProviderError {
	return new ProviderError(
		'webgpu-missing',
		'In-browser models need WebGPU, and it is not available in this browser or on this device.',
		{ detail, cause, fixes: webGpuFixes }
	);
}

/** The result of looking for WebGPU: ready, or why not. */
export type WebGpuStatus =
	| { ok: true; adapter: string }
	| { ok: false; reason: 'no-api' | 'no-adapter' | 'error'; message: string };

/** The part of `navigator` the check reads (so tests can pass a stand-in). */
export interface GpuNavigator {
	gpu?: { requestAdapter(options?: unknown): Promise<unknown | null> };
	userAgent?: string;
}

/**
 * Checks that WebGPU is usable: the API exists (`navigator.gpu`, needs a secure context and a
 * supporting browser) and the browser hands out an adapter (it gives none when the GPU is
 * blocklisted, disabled, or absent, as in most headless or virtual machines).
 */
export async function detectWebGpu(
	nav: GpuNavigator | undefined = (globalThis as { navigator?: GpuNavigator }).navigator
): Promise<WebGpuStatus> {
	if (!nav?.gpu) {
		return {
			ok: false,
			reason: 'no-api',
			message: 'This browser does not offer WebGPU (navigator.gpu is missing).'
		};
	}
	try {
		const adapter = (await nav.gpu.requestAdapter()) as {
			info?: { vendor?: string; architecture?: string };
		} | null;
		if (!adapter) {
			return {
				ok: false,
				reason: 'no-adapter',
				message: 'WebGPU is present but the browser found no usable GPU adapter.'
			};
		}
		const info = adapter.info;
		return {
			ok: true,
			adapter: [info?.vendor, info?.architecture].filter(Boolean).join(' ') || 'gpu'
		};
	} catch (error) {
		return {
			ok: false,
			reason: 'error',
			message: `Asking for a WebGPU adapter failed: ${error instanceof Error ? error.message : String(error)}`
		};
	}
}

/** Fixes for a missing WebGPU, in the order people can try them. */
export const webGpuFixes = [
	'Use a recent Chrome or Edge (113+) on Windows, macOS or ChromeOS, or Chrome 121+ on Android; Safari 26+ and Firefox 141+ (Windows) also ship WebGPU.',
	'Open ExecLab over https:// or http://localhost: WebGPU only exists in secure contexts.',
	'Check chrome://gpu: if WebGPU is listed as disabled or software-only, update the graphics driver, turn on hardware acceleration in the browser settings, or on Linux start Chrome with `--enable-unsafe-webgpu --enable-features=Vulkan`.',
	'No GPU here? Choose an OpenAI-compatible server (Ollama, llama.cpp) or a hosted API instead.'
];

/** A kind of model server, guessed from its address, for tailored fixes. */
export type ServerFamily =
	'ollama' | 'llama.cpp' | 'vllm' | 'lm-studio' | 'openai' | 'anthropic' | 'openrouter' | 'unknown';

/** Guesses the server family from the URL: hosted APIs by host, local servers by default port. */
export function guessServer(url: string): ServerFamily {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return 'unknown';
	}
	const host = parsed.hostname;
	if (host.endsWith('openai.com')) return 'openai';
	if (host.endsWith('anthropic.com')) return 'anthropic';
	if (host.endsWith('openrouter.ai')) return 'openrouter';
	switch (parsed.port) {
		case '11434':
			return 'ollama';
		case '8080':
			return 'llama.cpp';
		case '8000':
			return 'vllm';
		case '1234':
			return 'lm-studio';
		default:
			return 'unknown';
	}
}

/**
 * How to let a page's origin call each local server, as of the servers' current docs:
 * Ollama only trusts localhost origins unless OLLAMA_ORIGINS lists more; llama-server reflects any
 * Origin by default (recent builds add `--cors-origins`, and limit CORS to localhost when its
 * built-in tools are on); vLLM allows `*` unless `--allowed-origins` narrows it; LM Studio needs
 * its "Enable CORS" switch.
 */
export function corsFixes(origin: string, first: ServerFamily): string[] {
	const all: [ServerFamily, string][] = [
		[
			'ollama',
			`Ollama: restart it with your origin allowed: \`OLLAMA_ORIGINS=${origin} ollama serve\` (or \`OLLAMA_ORIGINS="*"\`). ` +
				`Desktop app on macOS: \`launchctl setenv OLLAMA_ORIGINS "${origin}"\`, then quit and reopen Ollama. ` +
				`Linux service: \`sudo systemctl edit ollama\`, add \`Environment="OLLAMA_ORIGINS=${origin}"\` under [Service], then \`sudo systemctl restart ollama\`. ` +
				`Windows: set the user environment variable OLLAMA_ORIGINS and restart Ollama.`
		],
		[
			'llama.cpp',
			`llama.cpp: llama-server allows every origin unless told otherwise; recent builds restrict it with \`--cors-origins\` ` +
				`(and to localhost when built-in tools are enabled). Start it with \`llama-server -m model.gguf --cors-origins ${origin}\` ` +
				`(or set LLAMA_ARG_CORS_ORIGINS). Very old builds have no such flag and always allow CORS.`
		],
		[
			'vllm',
			`vLLM: \`vllm serve MODEL --allowed-origins '["${origin}"]'\` (the default is '["*"]'; check for a proxy in front that drops the headers).`
		],
		[
			'lm-studio',
			'LM Studio: Developer tab → Server Settings → turn on "Enable CORS", or start it with `lms server start --cors`.'
		],
		[
			'unknown',
			`Any other server: it must answer the browser's OPTIONS preflight and send \`Access-Control-Allow-Origin: ${origin}\` ` +
				'(and allow the Authorization / Content-Type headers); a small reverse proxy that adds these headers also works.'
		]
	];
	const rank = (family: ServerFamily) => (family === first ? 0 : 1);
	return all.sort((a, b) => rank(a[0]) - rank(b[0])).map(([, text]) => text);
}

/** How to start each server so it is reachable at all. */
export function startFixes(first: ServerFamily): string[] {
	const all: [ServerFamily, string][] = [
		['ollama', 'Ollama: start it with `ollama serve` (default http://localhost:11434/v1).'],
		[
			'llama.cpp',
			'llama.cpp: `llama-server -m model.gguf --port 8080` (default http://localhost:8080/v1).'
		],
		['vllm', 'vLLM: `vllm serve MODEL` (default http://localhost:8000/v1).'],
		['lm-studio', 'LM Studio: Developer tab → start the server (default http://localhost:1234/v1).']
	];
	const rank = (family: ServerFamily) => (family === first ? 0 : 1);
	return [
		'Check that the server is running and that the base URL (host and port) is right.',
		...all.sort((a, b) => rank(a[0]) - rank(b[0])).map(([, text]) => text),
		'A server on another machine must listen on the network, not only on localhost (e.g. `OLLAMA_HOST=0.0.0.0`, `--host 0.0.0.0`).'
	];
}

/** Example base URLs, for wrong-URL messages. */
export const exampleBaseUrls =
	'Base URL examples: http://localhost:11434/v1 (Ollama), http://localhost:8080/v1 (llama.cpp), ' +
	'http://localhost:8000/v1 (vLLM), http://localhost:1234/v1 (LM Studio), https://api.openai.com/v1, ' +
	'https://openrouter.ai/api/v1, https://api.anthropic.com (Anthropic).';

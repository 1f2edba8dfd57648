import { afterEach, describe, expect, test, vi } from 'vitest';
import { startOpenAiServer, type ScriptedServer } from '../fixtures/index.ts';
import { classifyHttpError } from '../../src/core/providers/doctor.ts';
import { diagnoseFetchFailure } from '../../src/core/providers/fetch-failure.ts';
import { isLoopback, isPrivate } from '../../src/core/providers/addresses.ts';
import { corsFixes, guessServer } from '../../src/core/providers/server-hints.ts';
import { apiUrl } from '../../src/core/providers/http.ts';

let server: ScriptedServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

const ctx = { url: 'http://localhost:11434/v1/chat/completions', model: 'llama3.2' };
const classify = (status: number, body: unknown, headers: Record<string, string> = {}) =>
	classifyHttpError(
		status,
		new Headers(headers),
		typeof body === 'string' ? body : JSON.stringify(body),
		ctx
	);

describe('HTTP failures are classified from real server answers', () => {
	test.each([
		[401, { error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } }, 'auth'],
		[403, { error: { message: 'Project does not have access to model' } }, 'auth'],
		[403, { error: 'Origin not allowed' }, 'cors'],
		[429, { error: { message: 'Rate limit reached for requests' } }, 'rate-limit'],
		[402, { error: { message: 'Insufficient credits' } }, 'rate-limit'],
		// Ollama's OpenAI layer, vLLM, OpenAI, Anthropic
		[
			404,
			{ error: { message: 'model "llama3.2" not found, try pulling it first' } },
			'unknown-model'
		],
		[
			404,
			{ object: 'error', message: 'The model `x` does not exist.', type: 'NotFoundError' },
			'unknown-model'
		],
		[
			404,
			{
				error: {
					message: 'The model `gpt-9` does not exist or you do not have access to it.',
					code: 'model_not_found'
				}
			},
			'unknown-model'
		],
		[
			404,
			{ type: 'error', error: { type: 'not_found_error', message: 'model: llama3.2' } },
			'unknown-model'
		],
		[404, '404 page not found', 'wrong-url'],
		[405, 'Method Not Allowed', 'wrong-url'],
		// llama.cpp, vLLM, OpenAI, Anthropic context errors
		[
			400,
			{
				error: {
					code: 400,
					message: 'the request exceeds the available context size, try increasing it',
					type: 'exceed_context_size_error'
				}
			},
			'context-length'
		],
		[
			400,
			{
				object: 'error',
				message:
					"This model's maximum context length is 2048 tokens. However, you requested 3000 tokens"
			},
			'context-length'
		],
		[
			400,
			{
				type: 'error',
				error: {
					type: 'invalid_request_error',
					message: 'prompt is too long: 210000 tokens > 200000 maximum'
				}
			},
			'context-length'
		],
		[
			413,
			{
				type: 'error',
				error: {
					type: 'request_too_large',
					message: 'Request exceeds the maximum allowed number of bytes.'
				}
			},
			'context-length'
		],
		[
			400,
			{ error: { message: "Unsupported value: 'temperature' does not support 0.2" } },
			'bad-request'
		],
		[500, { error: { message: 'llama runner process has terminated' } }, 'server'],
		[503, '<html>Bad gateway</html>', 'server']
	])('%i %j → %s', (status, body, kind) => {
		const error = classify(status, body);
		expect(error.kind).toBe(kind);
		expect(error.message.length).toBeGreaterThan(10);
		if (kind !== 'server' && kind !== 'bad-request') expect(error.fixes.length).toBeGreaterThan(0);
	});

	test('Retry-After in seconds or as a date', () => {
		expect(classify(429, {}, { 'retry-after': '30' }).retryAfterSeconds).toBe(30);
		// A fixed clock: the answer does not depend on how long this line takes on a loaded machine.
		vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-03-01T12:00:00.250Z') });
		try {
			const date = new Date(Date.now() + 20_000).toUTCString();
			const seconds = classify(429, {}, { 'retry-after': date }).retryAfterSeconds ?? -1;
			// The date has whole seconds (12:00:20), 19.75 s ahead: rounded up.
			expect(seconds).toBe(20);
		} finally {
			vi.useRealTimers();
		}
	});

	test('an unknown Ollama model names the pull command', () => {
		const error = classify(404, {
			error: { message: 'model "llama3.2" not found, try pulling it first' }
		});
		expect(error.fixes[0]).toContain('ollama pull llama3.2');
	});

	test('keys in server text are redacted', () => {
		const error = classifyHttpError(
			401,
			new Headers(),
			JSON.stringify({ error: { message: 'bad key sk-live-999888777' } }),
			{ ...ctx, secrets: ['sk-live-999888777'] }
		);
		expect(error.detail).toBe('bad key [redacted]');
	});
});

describe('failures without an answer', () => {
	test('in Node, a refused connection is "network" (unreachable)', async () => {
		server = await startOpenAiServer([]);
		const url = `${server.url}/v1/models`;
		await server.close();
		server = undefined;
		const error = await fetch(url).then(
			() => undefined,
			(e: unknown) => e
		);
		const diagnosis = await diagnoseFetchFailure(error, { url });
		expect(diagnosis.kind).toBe('network');
		expect(diagnosis.message).toContain('ECONNREFUSED');
	});

	test('an unknown host name says so', async () => {
		const url = 'http://no-such-host.invalid/v1/models';
		const error = await fetch(url).then(
			() => undefined,
			(e: unknown) => e
		);
		expect((await diagnoseFetchFailure(error, { url })).message).toContain('cannot be found');
	});

	test('an opaque browser failure is CORS when a no-cors probe reaches the server', async () => {
		server = await startOpenAiServer([], { cors: false });
		// A browser's CORS refusal is `TypeError: Failed to fetch`; the probe itself is a real request.
		const diagnosis = await diagnoseFetchFailure(new TypeError('Failed to fetch'), {
			url: `${server.url}/v1/chat/completions`,
			pageOrigin: 'https://execlab.example',
			isolated: false
		});
		expect(diagnosis.kind).toBe('cors');
		expect(diagnosis.fixes.join('\n')).toContain(
			'OLLAMA_ORIGINS=https://execlab.example ollama serve'
		);
		expect(server.requests.map((r) => r.path)).toEqual(['/v1/chat/completions']);
	});

	test('… and unreachable when the probe fails too; when isolated, both remedies are offered', async () => {
		server = await startOpenAiServer([]);
		const url = `${server.url}/v1/chat/completions`;
		await server.close();
		server = undefined;
		const plain = await diagnoseFetchFailure(new TypeError('Failed to fetch'), {
			url,
			pageOrigin: 'https://execlab.example',
			isolated: false
		});
		expect(plain.kind).toBe('network');
		expect(plain.message).toContain('nothing answers');
		const isolated = await diagnoseFetchFailure(new TypeError('Failed to fetch'), {
			url,
			pageOrigin: 'https://execlab.example',
			isolated: true
		});
		expect(isolated.kind).toBe('network');
		expect(isolated.message).toContain('cannot tell which');
		expect(isolated.fixes.join('\n')).toContain('OLLAMA_ORIGINS');
	});

	test('an https page calling a public http:// server is mixed content', async () => {
		const diagnosis = await diagnoseFetchFailure(new TypeError('Failed to fetch'), {
			url: 'http://models.example.com/v1/chat/completions',
			pageOrigin: 'https://execlab.example'
		});
		expect(diagnosis.kind).toBe('network');
		expect(diagnosis.message).toContain('https');
	});

	test('an aborted signal is "aborted", not a network problem', async () => {
		const controller = new AbortController();
		controller.abort();
		const diagnosis = await diagnoseFetchFailure(new DOMException('aborted', 'AbortError'), {
			url: 'http://localhost:1/v1/models',
			signal: controller.signal
		});
		expect(diagnosis.kind).toBe('aborted');
	});
});

describe('bad base URLs', () => {
	test('an empty or non-web base URL is "wrong-url" before any request', async () => {
		const { OpenAiProvider } = await import('../../src/core/providers/openai.ts');
		for (const baseUrl of ['', 'ftp://models.example/v1']) {
			const provider = new OpenAiProvider({ baseUrl, model: 'm' });
			await expect(provider.listModels()).rejects.toMatchObject({ kind: 'wrong-url' });
		}
	});
});

describe('hints', () => {
	test('servers are guessed from host and default port, and their CORS fix comes first', () => {
		expect(guessServer('http://localhost:11434/v1')).toBe('ollama');
		expect(guessServer('http://127.0.0.1:8080')).toBe('llama.cpp');
		expect(guessServer('http://gpu-box:8000/v1')).toBe('vllm');
		expect(guessServer('http://localhost:1234/v1')).toBe('lm-studio');
		expect(guessServer('https://openrouter.ai/api/v1')).toBe('openrouter');
		expect(corsFixes('https://a.example', 'llama.cpp')[0]).toContain(
			'--cors-origins https://a.example'
		);
		expect(corsFixes('https://a.example', 'vllm')[0]).toContain(
			`--allowed-origins '["https://a.example"]'`
		);
		expect(corsFixes('https://a.example', 'lm-studio')[0]).toContain('Enable CORS');
	});

	test('loopback and private addresses', () => {
		expect(['localhost', '127.0.0.1', '[::1]', 'app.localhost'].every(isLoopback)).toBe(true);
		expect(
			['10.0.0.2', '192.168.1.20', '172.20.0.1', 'nas.local', '[fd12::1]'].every(isPrivate)
		).toBe(true);
		expect(['8.8.8.8', '172.32.0.1', 'example.com'].some(isPrivate)).toBe(false);
	});

	test('base URLs with or without the version segment', () => {
		expect(apiUrl('http://localhost:11434', '/models')).toBe('http://localhost:11434/v1/models');
		expect(apiUrl('http://localhost:11434/v1/', '/models')).toBe(
			'http://localhost:11434/v1/models'
		);
		expect(apiUrl('https://openrouter.ai/api/v1', '/chat/completions')).toBe(
			'https://openrouter.ai/api/v1/chat/completions'
		);
		expect(apiUrl('https://openrouter.ai/api', '/models')).toBe(
			'https://openrouter.ai/api/v1/models'
		);
		expect(apiUrl('https://generativelanguage.googleapis.com/v1beta/openai/', '/models')).toBe(
			'https://generativelanguage.googleapis.com/v1beta/openai/models'
		);
	});
});

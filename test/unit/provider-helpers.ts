import { afterEach } from 'vitest';
import type { Provider, GenerateRequest, StreamChunk } from '../../src/core/providers/types.ts';
import type { ScriptedServer } from '../fixtures/index.ts';
import { ProviderError } from '../../src/core/providers/errors.ts';

/** Runs a generation to the end and returns its chunks. */
export async function collect(
	provider: Provider,
	request: GenerateRequest
): Promise<StreamChunk[]> {
	const out: StreamChunk[] = [];
	for await (const chunk of provider.generate(request)) out.push(chunk);
	return out;
}

/** The concatenated text of some chunks. */
export function textOf(chunks: StreamChunk[]): string {
	return chunks.map((c) => (c.type === 'text' ? c.text : '')).join('');
}

/** Runs a generation expected to fail; returns the ProviderError and the chunks seen before it. */
export async function failure(
	provider: Provider,
	request: GenerateRequest
): Promise<{ error: ProviderError; chunks: StreamChunk[] }> {
	const chunks: StreamChunk[] = [];
	try {
		for await (const chunk of provider.generate(request)) chunks.push(chunk);
	} catch (error) {
		if (error instanceof ProviderError) return { error, chunks };
		throw error;
	}
	throw new Error(`expected a ProviderError, got ${chunks.length} chunks and a normal end`);
}

/** A slot for the scripted server of the current test; that server is closed after each test. */
export function serverPerTest(): { server?: ScriptedServer } {
	const slot: { server?: ScriptedServer } = {};
	afterEach(async () => {
		await slot.server?.close();
		slot.server = undefined;
	});
	return slot;
}

/** A chat request: an SQL system prompt and one user question, with any extra fields. */
export function chatRequest(
	question: string,
	extra: Partial<GenerateRequest> = {}
): GenerateRequest {
	return {
		mode: 'chat',
		messages: [
			{ role: 'system', content: 'You write SQL.' },
			{ role: 'user', content: question }
		],
		...extra
	};
}

import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ProviderError, abortedError } from './errors.ts';
import { exampleBaseUrls } from './server-hints.ts';
import { isLoopback, isPrivate, safeUrl, stripQuery } from './addresses.ts';
import { classifyHttpError, droppedError, notAnApiError, type CallContext } from './doctor.ts';
import { diagnoseFetchFailure } from './fetch-failure.ts';
import type { WireJson } from './types.ts';

/** Sends a JSON request; returns the response when it is a 2xx, else throws a classified error. */
export async function requestJson(
	ctx: CallContext,
	init: { method?: string; headers: Record<string, string>; body?: unknown }
): Promise<Response> {
	const doFetch = ctx.fetch ?? globalThis.fetch.bind(globalThis);
	const requestInit: RequestInit & { targetAddressSpace?: string } = {
		method: init.method ?? 'POST',
		headers: init.headers,
		body: init.body === undefined ? undefined : JSON.stringify(init.body),
		signal: ctx.signal,
		cache: 'no-store'
	};
	// Chrome's Local Network Access exempts private-network http:// calls from mixed-content
	// blocking only when the page declares the target as local; other browsers ignore the field.
	const target = safeUrl(ctx.url);
	if (!target || !/^https?:$/.test(target.protocol)) {
		throw new ProviderError('wrong-url', `“${stripQuery(ctx.url)}” is not a web address.`, {
			fixes: [exampleBaseUrls]
		});
	}
	if (isPrivate(target.hostname) && !isLoopback(target.hostname))
		requestInit.targetAddressSpace = 'local';
	let response: Response;
	try {
		response = await doFetch(ctx.url, requestInit);
	} catch (error) {
		throw await diagnoseFetchFailure(error, ctx);
	}
	if (!response.ok) {
		const text = await response.text().catch(() => '');
		throw classifyHttpError(response.status, response.headers, text, ctx);
	}
	const type = response.headers.get('content-type') ?? '';
	if (/html/i.test(type)) {
		await response.body?.cancel().catch(() => undefined);
		throw notAnApiError(type, ctx);
	}
	return response;
}

/**
 * Yields the SSE events of a streamed response. Breaking out of the loop or aborting closes the
 * connection; a transport failure mid-stream becomes a `dropped` error. The caller decides whether
 * a clean end came too early (no terminator).
 */
export async function* sseEvents(
	response: Response,
	ctx: CallContext
): AsyncGenerator<EventSourceMessage> {
	if (!response.body) throw droppedError(ctx);
	const reader = response.body.getReader();
	const decoder = new TextDecoder();
	const queue: EventSourceMessage[] = [];
	const parser = createParser({ onEvent: (event) => queue.push(event) });
	try {
		for (;;) {
			let read: ReadableStreamReadResult<Uint8Array>;
			try {
				read = await reader.read();
			} catch (error) {
				if (ctx.signal?.aborted) throw abortedError(error);
				throw droppedError(ctx, error);
			}
			if (ctx.signal?.aborted) throw abortedError(ctx.signal.reason);
			if (read.done) {
				parser.feed(decoder.decode());
				for (const event of queue.splice(0)) {
					if (ctx.signal?.aborted) throw abortedError(ctx.signal.reason);
					yield event;
				}
				return;
			}
			parser.feed(decoder.decode(read.value, { stream: true }));
			// One read can hold many events; none may be delivered once the caller has aborted.
			while (queue.length > 0) {
				if (ctx.signal?.aborted) throw abortedError(ctx.signal.reason);
				yield queue.shift()!;
			}
		}
	} finally {
		// Cancelling the body closes the socket, so the server stops generating for nobody.
		await reader.cancel().catch(() => undefined);
	}
}

/** Parses an event's JSON data, or returns undefined for junk (servers send odd keep-alives). */
export function parseData(data: string): WireJson {
	try {
		return JSON.parse(data);
	} catch {
		return undefined;
	}
}

/** Joins a base URL and an API path, accepting bases with or without the version segment. */
export function apiUrl(baseUrl: string, path: string): string {
	let base = baseUrl.trim().replace(/\/+$/, '');
	// People type `localhost:11434`; a missing scheme means plain http.
	if (base && !/^[a-z][a-z0-9+.-]*:\/\//i.test(base)) base = `http://${base}`;
	// Bases that already name a version (…/v1, …/v1beta/openai, …/openai) are used as they are.
	const versioned = /\/v\d+[a-z0-9]*(\/openai)?$/i.test(base) || /\/openai$/i.test(base);
	return `${versioned ? base : `${base}/v1`}${path}`;
}

import { ProviderError, redact } from './errors.ts';
import { stripQuery } from './addresses.ts';
import { corsFixes, exampleBaseUrls, guessServer } from './server-hints.ts';

/** What the doctor knows about the failed call. Secrets are only used to redact. */
export interface CallContext {
	/** The endpoint that was called. */
	url: string;
	model?: string;
	/** Keys to scrub from any server text we quote. */
	secrets?: (string | undefined)[];
	/** The fetch to probe with (default: global fetch). */
	fetch?: typeof fetch;
	/** The page's origin (default: `location.origin` in a browser). */
	pageOrigin?: string;
	/** Whether the page is cross-origin isolated (default: `crossOriginIsolated`). */
	isolated?: boolean;
	signal?: AbortSignal;
}

const contextWords =
	/context[ _-]?length|context window|maximum context|exceeds? (the )?(available )?context|exceed_context|prompt is too long|too many tokens|reduce the length|max_model_len|num_ctx/i;
const modelWords =
	/model[^.]{0,80}(not found|does not exist|not exist|unknown|not available|no such|try pulling)|unknown model|model_not_found|no model|invalid model|not a valid model/i;

/** Turns an HTTP error answer into a classified {@link ProviderError}. */
export function classifyHttpError(
	status: number,
	headers: Headers,
	bodyText: string,
	ctx: CallContext
): ProviderError {
	const detail = redact(serverMessage(bodyText), ctx.secrets ?? []).slice(0, 600);
	const base = { status, detail, url: stripQuery(ctx.url) };
	const family = guessServer(ctx.url);
	if (contextWords.test(detail) || status === 413) {
		return new ProviderError(
			'context-length',
			'The conversation is longer than the model can take (its context window is full).',
			{
				...base,
				fixes: [
					'Lower the number of turns or the observation length in the preset, or start a new session.',
					'Use a model or server setting with a larger context, e.g. Ollama `OLLAMA_CONTEXT_LENGTH=16384 ollama serve`, llama.cpp `-c 16384`, vLLM `--max-model-len 16384`.',
					'Lower Max tokens: servers count the reply budget inside the window.'
				]
			}
		);
	}
	if (status === 401 || status === 403) {
		if (/origin/i.test(detail) && !/key|token|auth/i.test(detail)) {
			return new ProviderError('cors', 'The server refuses requests from this page’s origin.', {
				...base,
				fixes: corsFixes(pageOrigin(ctx), family)
			});
		}
		return new ProviderError(
			'auth',
			status === 401
				? 'The server did not accept the API key (401 Unauthorized).'
				: 'The API key is not allowed to do this (403 Forbidden).',
			{
				...base,
				fixes: [
					'Check the API key: paste it again without spaces, and make sure it belongs to this provider.',
					'Local servers (Ollama, LM Studio) need no key; llama.cpp and vLLM need the one given with `--api-key`.',
					status === 403
						? 'Check that the key has access to this model and that your account or project allows it.'
						: 'If the key is new, it may take a minute to work; revoked keys never do.'
				]
			}
		);
	}
	if (status === 429 || status === 402) {
		const retry = retryAfter(headers.get('retry-after'));
		const quota = status === 402 || /quota|billing|credit|insufficient/i.test(detail);
		return new ProviderError(
			'rate-limit',
			quota
				? `The account has run out of quota or credits (${status}).`
				: `Too many requests: the server asks to slow down${retry === undefined ? '' : ` and retry in ${retry} s`}.`,
			{
				...base,
				retryAfterSeconds: retry,
				fixes: quota
					? ['Add credits or raise the quota in the provider’s billing settings.']
					: [
							retry === undefined
								? 'Wait a little and try again.'
								: `Wait ${retry} s and try again.`,
							'Lower the request rate (fewer parallel runs) or use a plan with higher limits.'
						]
			}
		);
	}
	// Anthropic's 404 says only `model: <id>`; any 404 naming the requested model means the model.
	const namesModel = !!ctx.model && status === 404 && detail.includes(ctx.model);
	if (
		(modelWords.test(detail) || namesModel) &&
		(status === 404 || status === 400 || status === 422)
	) {
		return unknownModel(ctx, base);
	}
	if (status === 404 || status === 405) {
		return new ProviderError(
			'wrong-url',
			`Nothing answers at ${stripQuery(ctx.url)} (${status}). The base URL is probably wrong.`,
			{ ...base, fixes: [exampleBaseUrls] }
		);
	}
	if (status >= 500) {
		return new ProviderError(
			'server',
			`The server failed (${status}); it is not your request’s fault.`,
			{
				...base,
				fixes: [
					'Try again in a moment.',
					'For a local server, look at its console: it may have run out of memory or be loading the model.'
				]
			}
		);
	}
	return new ProviderError('bad-request', `The server rejected the request (${status}).`, {
		...base,
		fixes: [
			'Read the server’s message below; a setting (temperature, max tokens, tools) may be unsupported by this model.'
		]
	});
}

function unknownModel(ctx: CallContext, base: object): ProviderError {
	const family = guessServer(ctx.url);
	const pull =
		family === 'ollama'
			? `Ollama: download it with \`ollama pull ${ctx.model ?? 'MODEL'}\`, or pick one listed by \`ollama list\`.`
			: 'Pick a model from the list the server offers (the model field’s list, read from /v1/models).';
	return new ProviderError(
		'unknown-model',
		`The server does not know the model “${ctx.model ?? ''}”.`,
		{
			...base,
			fixes: [
				pull,
				'Check the spelling, including the tag or organisation prefix (e.g. `qwen2.5-coder:7b`, `openai/gpt-4o-mini`).'
			]
		}
	);
}

/** The error for a 200 answer that is an HTML page or otherwise not the API. */
export function notAnApiError(contentType: string, ctx: CallContext): ProviderError {
	return new ProviderError(
		'wrong-url',
		`The address answered with ${contentType.includes('html') ? 'a web page' : `“${contentType || 'unknown content'}”`} instead of the API’s JSON. The base URL is probably wrong.`,
		{ url: stripQuery(ctx.url), fixes: [exampleBaseUrls] }
	);
}

/** The error for a stream that ended before its terminator. */
export function droppedError(ctx: CallContext, cause?: unknown): ProviderError {
	return new ProviderError(
		'dropped',
		'The connection closed in the middle of the answer; the reply is incomplete.',
		{
			url: stripQuery(ctx.url),
			cause,
			fixes: [
				'Try again.',
				'If it keeps happening, look at the server’s log: it may have crashed or run out of memory, or a proxy may cut long requests.'
			]
		}
	);
}

/** The error for an in-stream error event (overloaded, server fault…). */
export function streamErrorEvent(
	message: string,
	type: string | undefined,
	ctx: CallContext
): ProviderError {
	const detail = redact(message, ctx.secrets ?? []);
	if (type === 'overloaded_error' || type === 'api_error' || type === 'server_error' || !type) {
		return new ProviderError(
			'server',
			'The server reported an error in the middle of the answer.',
			{
				detail,
				url: stripQuery(ctx.url),
				fixes: ['Try again in a moment.']
			}
		);
	}
	if (contextWords.test(detail)) return classifyHttpError(400, new Headers(), message, ctx);
	return new ProviderError('bad-request', 'The server stopped the answer with an error.', {
		detail,
		url: stripQuery(ctx.url)
	});
}

function retryAfter(value: string | null): number | undefined {
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function serverMessage(bodyText: string): string {
	try {
		const body = JSON.parse(bodyText);
		const e = body?.error;
		if (typeof e === 'string') return e;
		if (typeof e?.message === 'string') return e.message;
		if (typeof body?.message === 'string') return body.message;
		if (typeof body?.detail === 'string') return body.detail;
	} catch {
		// Not JSON: quote the text itself.
	}
	return bodyText
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
}

/** The page origin named in CORS fixes: the real one in a browser, a placeholder elsewhere. */
export function pageOrigin(ctx: CallContext): string {
	return (
		ctx.pageOrigin ??
		(globalThis as { location?: Location }).location?.origin ??
		'https://your.site'
	);
}

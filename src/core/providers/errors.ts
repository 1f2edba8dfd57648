/** Why a provider failed, in categories a person can act on. */
export type ProviderErrorKind =
	| 'cors'
	| 'local-network'
	| 'network'
	| 'wrong-url'
	| 'auth'
	| 'rate-limit'
	| 'server'
	| 'unknown-model'
	| 'context-length'
	| 'bad-request'
	| 'aborted'
	| 'dropped'
	| 'webgpu-missing'
	| 'unsupported';

/** Fields of a {@link ProviderError} besides kind and message. */
export interface ProviderErrorDetails {
	/** Concrete steps that fix it, most likely first. */
	fixes?: string[];
	/** HTTP status, when the server answered. */
	status?: number;
	/** Seconds to wait, from a 429's Retry-After header. */
	retryAfterSeconds?: number;
	/** The server's own words (keys redacted), for the details view. */
	detail?: string;
	/** The endpoint called, without query string. */
	url?: string;
	cause?: unknown;
}

/** A provider failure, classified, with a plain-words message and fixes; never holds a key. */
export class ProviderError extends Error {
	override readonly name = 'ProviderError';
	readonly kind: ProviderErrorKind;
	readonly fixes: string[];
	readonly status?: number;
	readonly retryAfterSeconds?: number;
	readonly detail?: string;
	readonly url?: string;

	constructor(kind: ProviderErrorKind, message: string, details: ProviderErrorDetails = {}) {
		super(message, details.cause === undefined ? undefined : { cause: details.cause });
		this.kind = kind;
		this.fixes = details.fixes ?? [];
		this.status = details.status;
		this.retryAfterSeconds = details.retryAfterSeconds;
		this.detail = details.detail;
		this.url = details.url;
	}

	/** Whether trying again unchanged may succeed (rate limit, server trouble, dropped stream). */
	get retryable(): boolean {
		return (
			this.kind === 'rate-limit' ||
			this.kind === 'server' ||
			this.kind === 'dropped' ||
			this.kind === 'network'
		);
	}
}

/** Whether `error` means the request was cancelled (ours or a DOM AbortError). */
export function isAbortError(error: unknown): boolean {
	if (error instanceof ProviderError) return error.kind === 'aborted';
	return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/** The error thrown when a request's signal fires. */
export function abortedError(cause?: unknown): ProviderError {
	return new ProviderError('aborted', 'The request was stopped.', { cause });
}

/** Removes every occurrence of the secrets from a text (server echoes, URLs). */
export function redact(text: string, secrets: (string | undefined)[]): string {
	let out = text;
	for (const secret of secrets) {
		if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
	}
	return out;
}

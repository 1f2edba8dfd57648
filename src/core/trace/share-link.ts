import { Unzlib, zlibSync } from 'fflate';
import type { Trace } from './trace.ts';
import { readTraceRecord, type TraceV2 } from './trace-v2.ts';

// A share link carries the whole trace in its fragment, `#trace=<payload>`: the trace's JSON,
// zlib-compressed (fflate) and base64url-encoded. Browsers never send a fragment to a server, so
// the trace goes nowhere but to whoever opens the link. Decoding is strict: the alphabet, the zlib
// stream, its Adler-32 checksum (fflate does not check it), a cap on the inflated size (a small
// link must not inflate to gigabytes) and the trace schema itself.

/**
 * The longest fragment a share link may have (characters after `#`). Browsers take far longer
 * URLs (Chromium: 2 MB), but chat apps, mail clients and link previews cut or refuse long links,
 * and a cut link is useless; 32 KB keeps a link pasteable. Longer traces are offered as a file.
 */
export const shareFragmentLimit = 32 * 1024;

/** The longest payload a decoder accepts (a `?trace=` value may exceed the share limit). */
const payloadLimit = 8 * 1024 * 1024;

/** The most bytes a payload may inflate to. */
const inflatedLimit = 64 * 1024 * 1024;

/** Why a share link's payload could not be read. */
export class ShareLinkError extends Error {
	/** A readable reason naming what is wrong with the payload. */
	constructor(message: string) {
		super(message);
		this.name = 'ShareLinkError';
	}
}

/** A share link, or why the trace is too big for one (then offer a file instead). */
export type ShareLink =
	| { ok: true; url: string; fragmentLength: number }
	| { ok: false; fragmentLength: number; limit: number };

/** The payload of a trace's link: its JSON, zlib-compressed, base64url-encoded. */
export function encodeTracePayload(trace: Trace | TraceV2): string {
	const bytes = zlibSync(new TextEncoder().encode(JSON.stringify(trace)), { level: 9 });
	return toBase64Url(bytes);
}

/** The share link of a trace on the page `base` (its own fragment replaced), or why not. */
export function shareLink(trace: Trace | TraceV2, base: string): ShareLink {
	const fragment = `trace=${encodeTracePayload(trace)}`;
	if (fragment.length > shareFragmentLimit) {
		return { ok: false, fragmentLength: fragment.length, limit: shareFragmentLimit };
	}
	const url = new URL(base);
	url.hash = fragment;
	return { ok: true, url: url.href, fragmentLength: fragment.length };
}

/** The payload of a location hash such as `#trace=…` (or `trace=…`), or null when it has none. */
export function tracePayloadOfHash(hash: string): string | null {
	const body = hash.startsWith('#') ? hash.slice(1) : hash;
	const params = new URLSearchParams(body);
	return params.get('trace');
}

/** Reads a payload back into a trace (v1 payloads are upgraded); throws {@link ShareLinkError}. */
export function decodeTracePayload(payload: string): TraceV2 {
	if (payload.length === 0) throw new ShareLinkError('The link holds no trace (empty payload).');
	if (payload.length > payloadLimit)
		throw new ShareLinkError(`The link's trace is too long (${payload.length} characters).`);
	const bad = /[^A-Za-z0-9_-]/.exec(payload);
	if (bad)
		throw new ShareLinkError(
			`The link's trace has a character outside base64url (${JSON.stringify(bad[0])} at ${bad.index}): was it cut or edited?`
		);
	const bytes = fromBase64Url(payload);
	const json = new TextDecoder('utf-8', { fatal: true }).decode(inflate(bytes));
	let data: unknown;
	try {
		data = JSON.parse(json);
	} catch (e) {
		throw new ShareLinkError(`The link's trace is not JSON: ${(e as Error).message}`);
	}
	try {
		return readTraceRecord(data);
	} catch (e) {
		throw new ShareLinkError(`The link's trace is not valid: ${(e as Error).message}`);
	}
}

/** Inflates a zlib stream, checking its header, its end, its size and its Adler-32 checksum. */
function inflate(bytes: Uint8Array): Uint8Array {
	if (bytes.length < 6 || (bytes[0] & 0x0f) !== 8 || ((bytes[0] << 8) | bytes[1]) % 31 !== 0)
		throw new ShareLinkError("The link's trace is not a zlib stream: was it cut or edited?");
	const parts: Uint8Array[] = [];
	let size = 0;
	let ended = false;
	const stream = new Unzlib((chunk, final) => {
		size += chunk.length;
		if (size > inflatedLimit)
			throw new ShareLinkError(`The link's trace inflates to more than ${inflatedLimit} bytes.`);
		parts.push(chunk);
		if (final) ended = true;
	});
	try {
		stream.push(bytes, true);
	} catch (e) {
		if (e instanceof ShareLinkError) throw e;
		throw new ShareLinkError(`The link's trace is damaged (${(e as Error).message}): was it cut?`);
	}
	if (!ended) throw new ShareLinkError("The link's trace ends early: was it cut?");
	const out = new Uint8Array(size);
	let at = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.length;
	}
	const tail = bytes.subarray(bytes.length - 4);
	const stored = ((tail[0] << 24) | (tail[1] << 16) | (tail[2] << 8) | tail[3]) >>> 0;
	if (adler32(out) !== stored)
		throw new ShareLinkError("The link's trace fails its checksum: it was changed or cut.");
	return out;
}

/** The Adler-32 checksum of zlib (RFC 1950). */
function adler32(data: Uint8Array): number {
	let a = 1;
	let b = 0;
	// 5552 is the longest run whose sums cannot overflow before the modulo (as in zlib).
	for (let i = 0; i < data.length; i += 5552) {
		const end = Math.min(i + 5552, data.length);
		for (let j = i; j < end; j++) {
			a += data[j];
			b += a;
		}
		a %= 65521;
		b %= 65521;
	}
	return ((b << 16) | a) >>> 0;
}

/** Bytes as base64url without padding. */
function toBase64Url(bytes: Uint8Array): string {
	let binary = '';
	for (let i = 0; i < bytes.length; i += 0x8000) {
		binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	}
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url (unpadded) back to bytes; the caller has checked the alphabet. */
function fromBase64Url(text: string): Uint8Array {
	if (text.length % 4 === 1)
		throw new ShareLinkError("The link's trace has a length no base64 text has: was it cut?");
	const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}

/** The most bytes a trace fetched for `?trace=<url>` may have. */
const fetchedLimit = 50 * 1024 * 1024;

/** Whether a `?trace=` value names a URL (absolute http(s), or a path on this site) rather than a payload. */
export function isTraceUrl(value: string): boolean {
	return /^(https?:\/\/|\/|\.\.?\/)/i.test(value);
}

/**
 * The trace a `?trace=` value names: a URL (same-origin, or another origin that allows CORS) is
 * fetched and validated; anything else is read as a link payload (`trace=` or `#trace=` prefix
 * allowed). Throws {@link ShareLinkError} with the reason.
 */
export async function resolveTraceParam(
	value: string,
	base: string,
	fetcher: typeof fetch = fetch
): Promise<TraceV2> {
	if (!isTraceUrl(value)) return decodeTracePayload(value.replace(/^#?trace=/, ''));
	const url = new URL(value, base);
	let response: Response;
	try {
		response = await fetcher(url.href, { credentials: 'omit' });
	} catch (e) {
		throw new ShareLinkError(
			`The trace at ${url.href} could not be fetched (${(e as Error).message}); another site must allow CORS.`
		);
	}
	if (!response.ok)
		throw new ShareLinkError(`The trace at ${url.href} answered HTTP ${response.status}.`);
	const length = Number(response.headers.get('content-length') ?? 0);
	if (length > fetchedLimit)
		throw new ShareLinkError(`The trace at ${url.href} is too large (${length} bytes).`);
	const text = await response.text();
	if (text.length > fetchedLimit)
		throw new ShareLinkError(`The trace at ${url.href} is too large (${text.length} characters).`);
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (e) {
		throw new ShareLinkError(`The trace at ${url.href} is not JSON: ${(e as Error).message}`);
	}
	try {
		return readTraceRecord(data);
	} catch (e) {
		throw new ShareLinkError(`The trace at ${url.href} is not valid: ${(e as Error).message}`);
	}
}

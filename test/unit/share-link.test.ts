import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { zlibSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { recordedTrace } from '../../src/data/traces/index.ts';
import {
	decodeTracePayload,
	encodeTracePayload,
	resolveTraceParam,
	shareFragmentLimit,
	shareLink,
	ShareLinkError,
	tracePayloadOfHash
} from '../../src/core/trace/share-link.ts';
import { traceToV2 } from '../../src/core/trace/trace-v2.ts';

const trace = recordedTrace('skyrl-sql');
const v2 = traceToV2(trace);
const base64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

describe('share links', () => {
	test('a trace survives the round trip through the fragment (v1 read as v2, v2 unchanged)', () => {
		const link = shareLink(trace, 'https://execlab.example/app/?lang=sql#old');
		if (!link.ok) throw new Error('the bundled trace should fit in a link');
		const url = new URL(link.url);
		expect(url.origin + url.pathname + url.search).toBe('https://execlab.example/app/?lang=sql');
		expect(link.fragmentLength).toBe(url.hash.length - 1);
		const payload = tracePayloadOfHash(url.hash);
		expect(payload).not.toBeNull();
		expect(decodeTracePayload(payload!)).toEqual(v2);
		expect(decodeTracePayload(encodeTracePayload(v2))).toEqual(v2);
	});

	test('the payload is base64url without padding (safe in a fragment and a query value)', () => {
		expect(encodeTracePayload(trace)).toMatch(/^[A-Za-z0-9_-]+$/);
	});

	test('a fragment without a trace yields null', () => {
		expect(tracePayloadOfHash('#step=3')).toBeNull();
		expect(tracePayloadOfHash('')).toBeNull();
	});

	test('a truncated payload is refused, whatever the cut', () => {
		const payload = encodeTracePayload(trace);
		for (const keep of [
			1,
			5,
			10,
			100,
			payload.length >> 1,
			payload.length - 3,
			payload.length - 1
		]) {
			expect(() => decodeTracePayload(payload.slice(0, keep)), `kept ${keep}`).toThrow(
				ShareLinkError
			);
		}
	});

	test('a payload with one character changed is refused (stream or checksum)', () => {
		const payload = encodeTracePayload(trace);
		let refused = 0;
		for (const at of [8, 40, payload.length >> 2, payload.length >> 1, payload.length - 10]) {
			const swapped = payload[at] === 'A' ? 'B' : 'A';
			const tampered = payload.slice(0, at) + swapped + payload.slice(at + 1);
			try {
				decodeTracePayload(tampered);
			} catch (e) {
				expect(e).toBeInstanceOf(ShareLinkError);
				refused++;
			}
		}
		expect(refused).toBe(5);
	});

	test('a valid stream with a wrong checksum is refused by the checksum', () => {
		const bytes = zlibSync(new TextEncoder().encode(JSON.stringify(trace)));
		bytes[bytes.length - 1] ^= 1;
		expect(() => decodeTracePayload(base64url(bytes))).toThrow(/checksum/);
	});

	test('characters outside base64url, empty payloads and non-traces are refused with the reason', () => {
		expect(() => decodeTracePayload('abc+def')).toThrow(/outside base64url/);
		expect(() => decodeTracePayload('')).toThrow(/empty/);
		const notJson = base64url(zlibSync(new TextEncoder().encode('{"format":')));
		expect(() => decodeTracePayload(notJson)).toThrow(/not JSON/);
		const wrong = base64url(
			zlibSync(new TextEncoder().encode(JSON.stringify({ ...v2, version: 3 })))
		);
		expect(() => decodeTracePayload(wrong)).toThrow(/version: expected 1 or 2, got 3/);
	});

	test('a small payload that inflates past the cap is refused', () => {
		const bomb = base64url(zlibSync(new Uint8Array(65 * 1024 * 1024).fill(32), { level: 9 }));
		expect(bomb.length).toBeLessThan(200_000);
		expect(() => decodeTracePayload(bomb)).toThrow(/inflates to more than/);
	});

	test('over the size limit the link is refused with its length, so the UI can offer a file', () => {
		// Incompressible text: random hex in an observation.
		const noise = Array.from({ length: 40_000 }, () => Math.floor(Math.random() * 16).toString(16));
		const big = structuredClone(trace);
		const obs = big.events.find((e) => e.type === 'observation');
		if (obs?.type !== 'observation') throw new Error('no observation');
		obs.text = noise.join('');
		const link = shareLink(big, 'https://execlab.example/');
		expect(link).toEqual({
			ok: false,
			fragmentLength: expect.any(Number),
			limit: shareFragmentLimit
		});
		expect(link.fragmentLength).toBeGreaterThan(shareFragmentLimit);
	});
});

describe('?trace= values', () => {
	let server: Server;
	let origin: string;
	beforeAll(async () => {
		server = createServer((req, res) => {
			if (req.url === '/trace.json') res.end(JSON.stringify(trace));
			else if (req.url === '/junk.json') res.end('<html>not a trace</html>');
			else if (req.url === '/other.json') res.end(JSON.stringify({ format: 'other' }));
			else {
				res.statusCode = 404;
				res.end();
			}
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

	test('a URL (absolute or a path on the page’s site) is fetched and validated', async () => {
		expect(await resolveTraceParam(`${origin}/trace.json`, 'https://x.example/')).toEqual(v2);
		expect(await resolveTraceParam('/trace.json', `${origin}/app/`)).toEqual(v2);
		expect(await resolveTraceParam('../trace.json', `${origin}/app/`)).toEqual(v2);
	});

	test('a fetched URL that is missing, not JSON or not a trace is refused with the reason', async () => {
		await expect(resolveTraceParam(`${origin}/nope.json`, origin)).rejects.toThrow(/HTTP 404/);
		await expect(resolveTraceParam(`${origin}/junk.json`, origin)).rejects.toThrow(/not JSON/);
		await expect(resolveTraceParam(`${origin}/other.json`, origin)).rejects.toThrow(
			/format: expected "execlab-trace"/
		);
	});

	test('anything else is the fragment form (with or without its trace= prefix)', async () => {
		const payload = encodeTracePayload(trace);
		expect(await resolveTraceParam(payload, origin)).toEqual(v2);
		expect(await resolveTraceParam(`trace=${payload}`, origin)).toEqual(v2);
		await expect(resolveTraceParam('garbage!', origin)).rejects.toThrow(ShareLinkError);
	});
});

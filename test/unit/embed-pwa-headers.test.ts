import { expect, test } from 'vitest';
import { isolationHeaders } from '../../workers/isolation-headers.js';
import { withIsolationHeaders } from '../../workers/isolation-response.ts';
import { requestPersistentStorage } from '../../src/pwa/persist.ts';

// The service worker's header rule (workers/isolation-response.ts) on real Fetch API objects in Node.

test('a response without headers gets COOP, COEP and CORP; body, status and type are kept', async () => {
	const original = new Response('print(1)', {
		status: 200,
		statusText: 'OK',
		headers: { 'Content-Type': 'text/javascript' }
	});
	const served = withIsolationHeaders(original);
	expect(Object.fromEntries(served.headers)).toEqual({
		'content-type': 'text/javascript',
		'cross-origin-opener-policy': 'same-origin',
		'cross-origin-embedder-policy': 'require-corp',
		'cross-origin-resource-policy': 'cross-origin'
	});
	expect(served.status).toBe(200);
	expect(served.statusText).toBe('OK');
	expect(await served.text()).toBe('print(1)');
});

test('headers the server chose are kept (COEP credentialless stays), and a complete response is passed through', () => {
	const chosen = new Response('x', {
		headers: { 'Cross-Origin-Embedder-Policy': 'credentialless' }
	});
	const served = withIsolationHeaders(chosen);
	expect(served.headers.get('cross-origin-embedder-policy')).toBe('credentialless');
	expect(served.headers.get('cross-origin-opener-policy')).toBe('same-origin');
	const complete = new Response('x', { headers: isolationHeaders });
	expect(withIsolationHeaders(complete)).toBe(complete);
});

test('null-body statuses and errors are rebuilt without a body', () => {
	const empty = withIsolationHeaders(new Response(null, { status: 204 }));
	expect(empty.status).toBe(204);
	expect(empty.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
	const missing = withIsolationHeaders(new Response('not found', { status: 404 }));
	expect(missing.status).toBe(404);
	expect(missing.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
	const failed = Response.error();
	expect(withIsolationHeaders(failed)).toBe(failed);
});

test('persistent storage: asks once, reports the answer, survives missing support', async () => {
	const asked: string[] = [];
	const storage = (persisted: boolean, grant: boolean | Error) =>
		({
			persisted: async () => (asked.push('persisted'), persisted),
			persist: async () => {
				asked.push('persist');
				if (grant instanceof Error) throw grant;
				return grant;
			}
		}) as unknown as StorageManager;
	expect(await requestPersistentStorage(storage(true, false))).toBe('persisted');
	expect(asked).toEqual(['persisted']);
	expect(await requestPersistentStorage(storage(false, true))).toBe('persisted');
	expect(await requestPersistentStorage(storage(false, false))).toBe('denied');
	expect(await requestPersistentStorage(storage(false, new Error('blocked')))).toBe('denied');
	expect(await requestPersistentStorage(undefined)).toBe('unsupported');
});

import { expect, test } from 'vitest';
import {
	isConfinedWorkerScript,
	pagePolicy,
	policyHeaders,
	workerPolicy
} from '../../workers/content-policy.js';
import { withIsolationHeaders } from '../../workers/isolation-response.ts';
import { expectPredicate } from './helpers/expect-predicate.ts';

// The CSP values every server and the service worker share (workers/content-policy.js).

test('the worker policy: own files and WebAssembly only; no eval, no other origin, no nested worker', () => {
	expect(workerPolicy.split('; ')).toEqual([
		"default-src 'none'",
		"script-src 'self' 'wasm-unsafe-eval'",
		"connect-src 'self'",
		"worker-src 'none'"
	]);
	expect(workerPolicy).not.toMatch(/'unsafe-eval'|'unsafe-inline'|\*/);
});

test('confined worker scripts: built and dev names of the Python and SQL workers, not the network worker', () => {
	expectPredicate(isConfinedWorkerScript, {
		yes: [
			'/assets/python.worker-rF7wmhUT.js',
			'/app/assets/sql.worker-DLA_F9TF.js',
			'/workers/python.worker.ts'
		],
		no: [
			'/assets/python-network.worker-rF7wmhUT.js',
			'/workers/python-network.worker.ts',
			'/service-worker.js',
			'/assets/index-DP-38BkD.js',
			'/vendor/pyodide/pyodide.mjs'
		]
	});
});

test('the page policy: own scripts only, no inline script or eval, no plugins, no <base>; frame-ancestors only when given', () => {
	const page = pagePolicy();
	expect(page).toContain("script-src 'self' 'wasm-unsafe-eval';");
	expect(page).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
	expect(page).toContain("object-src 'none'");
	expect(page).toContain("base-uri 'none'");
	expect(page).not.toContain('frame-ancestors');
	expect(pagePolicy({ frameAncestors: ['https://a.example'] })).toContain(
		"frame-ancestors 'self' https://a.example"
	);
	expect(policyHeaders('/index.html', { html: true })).toEqual({
		'Content-Security-Policy': page
	});
	expect(policyHeaders('/assets/sql.worker-x.js', { html: false })).toEqual({
		'Content-Security-Policy': workerPolicy
	});
	expect(policyHeaders('/assets/index-x.js', { html: false })).toEqual({});
});

test('the service worker adds the worker policy to confined worker scripts only, and keeps a host policy', () => {
	const script = () => new Response('x', { headers: { 'Content-Type': 'text/javascript' } });
	const worker = withIsolationHeaders(script(), '/assets/python.worker-abc.js');
	expect(worker.headers.get('content-security-policy')).toBe(workerPolicy);
	expect(worker.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
	const network = withIsolationHeaders(script(), '/assets/python-network.worker-abc.js');
	expect(network.headers.get('content-security-policy')).toBeNull();
	const chosen = new Response('x', {
		headers: { 'Content-Security-Policy': "default-src 'self'" }
	});
	const kept = withIsolationHeaders(chosen, '/assets/sql.worker-abc.js');
	expect(kept.headers.get('content-security-policy')).toBe("default-src 'self'");
});

import { expect, test } from 'vitest';
import {
	createOriginPolicy,
	normaliseOrigin,
	parseOriginList
} from '../../src/embed/origin-policy.ts';

test('origins are normalised to scheme://host[:port] and anything else is refused', () => {
	expect(normaliseOrigin('HTTPS://A.Example:443/')).toBe('https://a.example');
	expect(normaliseOrigin(' http://127.0.0.1:8080 ')).toBe('http://127.0.0.1:8080');
	expect(normaliseOrigin('http://a.example:80')).toBe('http://a.example');
	expect(normaliseOrigin('https://[::1]:9000')).toBe('https://[::1]:9000');
	for (const bad of [
		'*',
		'https://*.example',
		'https://a.example/path',
		'https://a.example/?q=1',
		'https://a.example#x',
		'https://user:pw@a.example',
		'ftp://a.example',
		'file:///tmp/x.html',
		'javascript:alert(1)',
		'null',
		'a.example',
		''
	]) {
		expect(normaliseOrigin(bad), bad).toBeNull();
	}
});

test('a comma-separated list keeps valid origins once and reports the rest', () => {
	expect(
		parseOriginList('https://a.example, https://b.example:8443,,https://A.example/,*')
	).toEqual({
		origins: ['https://a.example', 'https://b.example:8443'],
		rejected: ['*']
	});
	expect(parseOriginList(undefined)).toEqual({ origins: [], rejected: [] });
});

test('by default only the own origin is obeyed', () => {
	const { policy } = createOriginPolicy({ ownOrigin: 'http://127.0.0.1:5000', search: '?embed=1' });
	expect(policy.origins).toEqual(['http://127.0.0.1:5000']);
	expect(policy.allows('http://127.0.0.1:5000')).toBe(true);
	expect(policy.allows('http://127.0.0.1:5001')).toBe(false);
	expect(policy.allows('http://localhost:5000')).toBe(false);
	expect(policy.allows('null')).toBe(false);
});

test('the build-time list and every ?allowOrigin parameter add exact origins', () => {
	const { policy, rejected } = createOriginPolicy({
		ownOrigin: 'https://execlab.example',
		buildList: 'https://course.example',
		search:
			'?embed=1&allowOrigin=https%3A%2F%2Fa.example%2Chttps%3A%2F%2Fb.example&allowOrigin=https://c.example:8443&allowOrigin=https://*.evil.example'
	});
	expect(policy.origins).toEqual([
		'https://execlab.example',
		'https://course.example',
		'https://a.example',
		'https://b.example',
		'https://c.example:8443'
	]);
	expect(rejected).toEqual(['https://*.evil.example']);
	expect(policy.allows('https://b.example')).toBe(true);
	// Exact: no subdomains, no other scheme or port, no prefix tricks.
	expect(policy.allows('https://x.a.example')).toBe(false);
	expect(policy.allows('http://a.example')).toBe(false);
	expect(policy.allows('https://a.example:444')).toBe(false);
	expect(policy.allows('https://a.example.evil.example')).toBe(false);
});

test('an opaque own origin (file:, sandboxed frame) allows nothing by itself', () => {
	const { policy } = createOriginPolicy({ ownOrigin: 'null' });
	expect(policy.origins).toEqual([]);
	expect(policy.allows('null')).toBe(false);
});

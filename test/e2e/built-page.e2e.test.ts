import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { pagePolicy } from '../../workers/content-policy.js';
import { distDir } from './rig.ts';

// The built page as a static host serves it (scripts/e2e.mjs builds dist/ before these tests): its
// CSP must be there even where the host sends no header.
test('the built page carries the page policy as a meta tag before any script, and no inline script', () => {
	const html = readFileSync(join(distDir, 'index.html'), 'utf8');
	const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html);
	expect(meta?.[1].replaceAll('&#39;', "'")).toBe(pagePolicy());
	expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
	expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
});

// The page's CSP is a second wall behind DOMPurify (README: "Network confinement"): with the
// sanitiser switched off by the test-only global (src/lib/markdown.ts), the XSS payloads reach the
// DOM as markup, and the CSP alone keeps every one of them from running. Then with it on again.
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { clickTranscriptLinks, collectDialogs } from './agent-ui-helpers.ts';
import { runPayloadSession, useXssRig } from './xss-payloads.ts';

const rig = useXssRig((prose) => {
	const turn = { chunks: [`${prose}\n<think>${prose}</think>\n<solution>SELECT 1</solution>`] };
	return [turn, turn];
});

/** Opens the app with the sanitiser off or on, runs one agent turn and reports what ran. */
async function render(raw: boolean) {
	const page: Page = await rig.browser.newPage();
	await page.addInitScript((raw) => {
		const w = window as unknown as Record<string, unknown>;
		if (raw) w.__execlabUnsafeRawMarkdownForTests = true;
		const seen: string[] = [];
		w.__violations = seen;
		document.addEventListener('securitypolicyviolation', (e) =>
			seen.push(`${e.effectiveDirective} ${e.blockedURI}`)
		);
	}, raw);
	const dialogs = collectDialogs(page);
	await page.goto(rig.app.url);
	await runPayloadSession(page, rig.server.url);
	await clickTranscriptLinks(page);
	const report = await page.evaluate(() => {
		const root = document.querySelector('[data-testid=agent-transcript]')!;
		const all = [...root.querySelectorAll('*')];
		const w = window as unknown as { __xss?: unknown; __violations: string[] };
		return {
			marker: w.__xss ?? null,
			tags: [...new Set(all.map((el) => el.tagName.toUpperCase()))],
			handlers: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name))).length,
			violations: w.__violations
		};
	});
	const url = page.url();
	await page.close();
	return { ...report, dialogs, url };
}

test('sanitiser off: the payloads are live markup, and the CSP alone stops every one', async () => {
	const r = await render(true);
	// The markup really is there: handlers, img, script, iframe, svg.
	expect(r.handlers).toBeGreaterThan(0);
	for (const tag of ['IMG', 'SCRIPT', 'IFRAME', 'SVG']) {
		expect(r.tags, tag).toContain(tag);
	}
	// ...and nothing of it ran: the browser refused inline handlers and javascript: URLs.
	expect(r.marker).toBeNull();
	expect(r.dialogs).toEqual([]);
	expect(r.url).toBe(rig.app.url);
	expect(r.violations.some((v) => v.startsWith('script-src'))).toBe(true);
});

test('sanitiser on again: nothing dangerous reaches the DOM, and the page raises no violation', async () => {
	const r = await render(false);
	for (const tag of ['IMG', 'SCRIPT', 'IFRAME', 'SVG', 'OBJECT', 'EMBED', 'FORM']) {
		expect(r.tags, tag).not.toContain(tag);
	}
	expect(r.handlers).toBe(0);
	expect(r.marker).toBeNull();
	expect(r.dialogs).toEqual([]);
	expect(r.violations).toEqual([]);
});

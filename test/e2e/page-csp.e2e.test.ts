// The page's CSP is a second wall behind DOMPurify (README: "Network confinement"): with the
// sanitiser switched off by the test-only global (src/lib/markdown.ts), the XSS payloads reach the
// DOM as markup, and the CSP alone keeps every one of them from running. Then with it on again.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startOpenAiServer, type ScriptedServer } from '../fixtures/index.ts';
import { openAgentTab, runToEnd, useOpenAi } from './agent-ui-helpers.ts';
import { launchChromium, serveStatic, type StaticServer } from './rig.ts';

let browser: Browser;
let app: StaticServer;
let server: ScriptedServer;

/** The payloads of agent-xss.e2e.test.ts: each sets `window.__xss` if it ever executes. */
const payloads = [
	'<img src=x onerror="window.__xss=1;alert(1)">',
	'<script>window.__xss=2;alert(2)</script>',
	'<a href="javascript:window.__xss=3">html link</a>',
	'<svg onload="window.__xss=4"><script>window.__xss=5</script></svg>',
	'<iframe srcdoc="<script>parent.__xss=6;alert(6)</script>"></iframe>',
	'[markdown link](javascript:window.__xss=7)',
	'[mixed case](JaVaScRiPt:window.__xss=8)',
	'![image](x" onerror="window.__xss=9)',
	'<details open ontoggle="window.__xss=10">toggle</details>',
	'<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=11">',
	'<a href="data:text/html,<script>alert(12)</script>">data link</a>',
	'[ref link][r]\n\n[r]: javascript:window.__xss=13',
	'<javascript:window.__xss=14>',
	'<object data="javascript:window.__xss=15"></object><embed src="javascript:window.__xss=16">',
	'<form action="javascript:window.__xss=17"><button>go</button></form>',
	'<input autofocus onfocus="window.__xss=18">'
];

beforeAll(async () => {
	browser = await launchChromium();
	app = await serveStatic();
	const prose = payloads.join('\n\n');
	const turn = { chunks: [`${prose}\n<think>${prose}</think>\n<solution>SELECT 1</solution>`] };
	server = await startOpenAiServer([turn, turn]);
});
afterAll(async () => {
	await browser?.close();
	await app?.close();
	await server?.close();
});

/** Opens the app with the sanitiser off or on, runs one agent turn and reports what ran. */
async function render(raw: boolean) {
	const page: Page = await browser.newPage();
	await page.addInitScript((raw) => {
		const w = window as unknown as Record<string, unknown>;
		if (raw) w.__execlabUnsafeRawMarkdownForTests = true;
		const seen: string[] = [];
		w.__violations = seen;
		document.addEventListener('securitypolicyviolation', (e) =>
			seen.push(`${e.effectiveDirective} ${e.blockedURI}`)
		);
	}, raw);
	const dialogs: string[] = [];
	page.on('dialog', (d) => {
		dialogs.push(d.message());
		void d.dismiss();
	});
	await page.goto(app.url);
	await openAgentTab(page);
	await page.selectOption('[data-testid=agent-task-pick]', 'school-01');
	await useOpenAi(page, {
		baseUrl: server.url,
		model: 'test-model',
		preset: 'skyrl-sql',
		mode: 'completion'
	});
	await runToEnd(page);
	const links = page.locator('[data-testid=agent-transcript] a');
	for (let i = 0; i < (await links.count()); i++) await links.nth(i).click({ force: true });
	await page.waitForTimeout(500);
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
	expect(r.url).toBe(app.url);
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

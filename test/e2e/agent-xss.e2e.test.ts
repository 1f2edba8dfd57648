// Model output is untrusted: XSS payloads streamed as a model's text (prose, reasoning, actions,
// and an observation carrying HTML from the database) must render inert in the Agent tab.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { startOpenAiServer, type ScriptedServer } from '../fixtures/index.ts';
import { openAgentTab, runToEnd, useOpenAi } from './agent-ui-helpers.ts';
import { launchChromium, openPage, serveStatic, type StaticServer } from './rig.ts';

let browser: Browser;
let app: StaticServer;
let server: ScriptedServer;

/** Each payload sets `window.__xss` (and opens a dialog) if it ever executes. */
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
	server = await startOpenAiServer([
		{
			chunks: [
				`Some **markdown** first.\n\n${prose}\n\n<think>${prose}</think>\n`,
				`<sql>SELECT '${payloads[0].replace(/'/g, "''")}' AS v, '${payloads[1]}' AS w</sql>`
			]
		},
		{ chunks: [`${prose}\n<think>done</think>\n<solution>SELECT 1</solution>\n${prose}`] }
	]);
});
afterAll(async () => {
	await browser?.close();
	await app?.close();
	await server?.close();
});

test('payloads in model output and observations render inert', async () => {
	const page = await openPage(browser, app.url);
	const dialogs: string[] = [];
	page.on('dialog', (d) => {
		dialogs.push(d.message());
		void d.dismiss();
	});
	await openAgentTab(page);
	await page.selectOption('[data-testid=agent-task-pick]', 'school-01');
	await useOpenAi(page, {
		baseUrl: server.url,
		model: 'test-model',
		preset: 'skyrl-sql',
		mode: 'completion'
	});
	await runToEnd(page);
	// The payloads really reached the transcript (as text).
	const text = await page.locator('[data-testid=agent-transcript]').innerText();
	expect(text).toContain('onerror="window.__xss=1;alert(1)"');
	expect(text).toContain('<script>window.__xss=2');
	expect(await page.locator('[data-testid=agent-observation] pre').first().innerText()).toContain(
		'<img src=x onerror='
	);

	// Click every link and toggle every details in the transcript: still nothing may run.
	const links = page.locator('[data-testid=agent-transcript] a');
	for (let i = 0; i < (await links.count()); i++) await links.nth(i).click({ force: true });
	await page.waitForTimeout(500);

	const report = await page.evaluate(() => {
		const root = document.querySelector('[data-testid=agent-transcript]')!;
		const all = [...root.querySelectorAll('*')];
		return {
			marker: (window as unknown as { __xss?: unknown }).__xss ?? null,
			dangerous: all
				.filter((el) =>
					[
						'SCRIPT',
						'IFRAME',
						'IMG',
						'SVG',
						'OBJECT',
						'EMBED',
						'FORM',
						'STYLE',
						'MATH',
						'BUTTON'
					].includes(el.tagName.toUpperCase())
				)
				.map((el) => el.tagName),
			handlers: all.flatMap((el) =>
				[...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`)
			),
			hrefs: [...root.querySelectorAll('a')].map((a) => a.getAttribute('href')),
			inputs: [...root.querySelectorAll('input')].length,
			scriptsInPage: document.scripts.length
		};
	});
	expect(report.marker).toBeNull();
	expect(dialogs).toEqual([]);
	expect(report.dangerous).toEqual([]);
	expect(report.handlers).toEqual([]);
	expect(report.inputs).toBe(0);
	for (const href of report.hrefs) if (href !== null) expect(href).toMatch(/^(https?:|mailto:|#)/i);
	expect(page.url()).toBe(app.url);
	await page.screenshot({ path: 'test/e2e/screenshots/agent-xss-light-desktop.png' });
	await page.close();
});

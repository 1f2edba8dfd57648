// Model output is untrusted: XSS payloads streamed as a model's text (prose, reasoning, actions,
// and an observation carrying HTML from the database) must render inert in the Agent tab.
import { expect, test } from 'vitest';
import { clickTranscriptLinks, collectDialogs } from './agent-ui-helpers.ts';
import { runPayloadSession, useXssRig, xssPayloads as payloads } from './xss-payloads.ts';
import { openPage } from './rig.ts';

const rig = useXssRig((prose) => [
	{
		chunks: [
			`Some **markdown** first.\n\n${prose}\n\n<think>${prose}</think>\n`,
			`<sql>SELECT '${payloads[0].replace(/'/g, "''")}' AS v, '${payloads[1]}' AS w</sql>`
		]
	},
	{ chunks: [`${prose}\n<think>done</think>\n<solution>SELECT 1</solution>\n${prose}`] }
]);

test('payloads in model output and observations render inert', async () => {
	const page = await openPage(rig.browser, rig.app.url);
	const dialogs = collectDialogs(page);
	await runPayloadSession(page, rig.server.url);
	// The payloads really reached the transcript (as text).
	const text = await page.locator('[data-testid=agent-transcript]').innerText();
	expect(text).toContain('onerror="window.__xss=1;alert(1)"');
	expect(text).toContain('<script>window.__xss=2');
	expect(await page.locator('[data-testid=agent-observation] pre').first().innerText()).toContain(
		'<img src=x onerror='
	);

	// Click every link and toggle every details in the transcript: still nothing may run.
	await clickTranscriptLinks(page);

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
	expect(page.url()).toBe(rig.app.url);
	await page.screenshot({ path: 'test/e2e/screenshots/agent-xss-light-desktop.png' });
	await page.close();
});

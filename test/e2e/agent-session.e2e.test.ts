// The Agent tab end to end in Chromium: the built app, a scripted OpenAI-compatible server on
// another port (CORS), the real loop, real sql.js and Pyodide workers. Screenshots of the agent
// view go to test/e2e/screenshots/ for review.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { skyrlObservationText, skyrlResultBody } from '../../src/core/presets/skyrl-sql.ts';
import { useOpenAiServers } from '../fixtures/use-openai-servers.ts';
import {
	openAgentTab,
	runToEnd,
	transcriptTexts,
	useOpenAi,
	useSkyrlSqlSchool
} from './agent-ui-helpers.ts';
import { distDir, openPage } from './rig.ts';
import { useRig } from './use-rig.ts';

const rig = useRig({ app: {} });
const scripted = useOpenAiServers();

const twelfthGraders = (() => {
	const db = new Database(join(distDir, 'samples/school.sqlite'), { readonly: true });
	const n = db.prepare('SELECT COUNT(*) AS n FROM students WHERE grade_level = 12').get() as {
		n: number;
	};
	db.close();
	return n.n;
})();

const shot = async (page: Page, name: string) => {
	await page.waitForTimeout(200);
	await page.screenshot({ path: `test/e2e/screenshots/${name}.png` });
};

test('first open offers a recorded session that replays without any key', async () => {
	const page = await openPage(rig.browser, rig.app.url);
	await openAgentTab(page);
	expect(await page.locator('[data-testid=agent-provider-kind]').inputValue()).toBe('replay');
	await page.waitForSelector('[data-testid=agent-replay-source]');
	expect(await page.locator('[data-testid=agent-replay-source]').innerText()).toMatch(/Replaying/);
	await runToEnd(page);
	expect((await transcriptTexts(page, '[data-testid=agent-action]')).length).toBeGreaterThan(0);
	expect(await page.locator('[data-testid=agent-observation-status]').first().innerText()).toBe(
		'ok'
	);
	expect(await page.locator('[data-testid=agent-answer]').count()).toBe(1);
	await shot(page, 'agent-replay-light-desktop');
	await page.close();
});

test('ReEx/SkyRL-style SQL session against a scripted server: think, sql, observation, solution, reward', async () => {
	const server = await scripted([
		{
			chunks: [
				'<think>I need the students ',
				'in grade 12, so I count them.</think>\n<sq',
				'l>SELECT COUNT(*) FROM students WHERE grade_level = 12</s',
				'ql>'
			],
			delayMs: 40
		},
		{
			chunks: [
				'<think>The count is ',
				`${twelfthGraders}.</think>\n<solution>SELECT COUNT(*) FROM students WHERE grade_level = 12</solution>`
			],
			delayMs: 40
		}
	]);
	const page = await openPage(rig.browser, rig.app.url);
	await page.setViewportSize({ width: 1280, height: 800 });
	await openAgentTab(page);
	await useSkyrlSqlSchool(page, server.url);
	// The model list comes from the server's /v1/models.
	await page.locator('[data-testid=agent-list-models]').click();
	await page.waitForFunction(() =>
		[...document.querySelectorAll('#agent-models option')].some(
			(o) => (o as HTMLOptionElement).value === 'test-model'
		)
	);
	// An edited template is saved and is what gets sent.
	await page.locator('[data-testid=agent-template] summary').click();
	const user = page.locator('[data-testid=agent-template-user]');
	await user.fill(`${await user.inputValue()}\nAnswer briefly, please.`);
	expect(
		await page.evaluate(() => localStorage.getItem('execlab:agent-template:skyrl-sql'))
	).toContain('Answer briefly, please.');
	await page.locator('[data-testid=agent-template] summary').click();
	await runToEnd(page);
	expect(server.requests.find((r) => r.method === 'POST')!.body.prompt).toContain(
		'Answer briefly, please.'
	);

	const actions = await transcriptTexts(page, '[data-testid=agent-action]');
	expect(actions).toHaveLength(1);
	expect(actions[0]).toContain('SELECT COUNT(*) FROM students WHERE grade_level = 12');
	const observation = await page.locator('[data-testid=agent-observation] pre').first().innerText();
	// Exactly SkyRL-SQL's text for this result (skyrl_gym/tools/sql.py), as the preset formats it.
	const expected = skyrlObservationText(skyrlResultBody([[twelfthGraders]]).text, 4);
	expect(observation).toBe(expected.trim());
	expect(observation).toContain('You have 4 turns left');
	expect(await page.locator('[data-testid=agent-reward]').innerText()).toBe('reward 1');
	expect(await page.locator('[data-testid=agent-answer]').innerText()).toContain('reward 1');
	expect(await page.locator('[data-testid=agent-stopped]').innerText()).toContain('answer');
	// Reasoning is rendered (not shown as raw tags) and the prompt sent is on record.
	const message = await page.locator('[data-testid=agent-message]').first().innerText();
	expect(message).toContain('I need the students in grade 12');
	expect(message).not.toContain('<think>');
	const posts = server.requests.filter((r) => r.method === 'POST');
	expect(posts.map((r) => r.path)).toEqual(['/v1/completions', '/v1/completions']);
	expect(posts[0].body.prompt).toContain('How many students are in grade 12?');
	expect(posts[1].body.prompt).toContain(expected);
	expect(posts[0].body.stop).toEqual(['</sql>', '</solution>']);

	// The trace downloads as JSON and records the exact prompt.
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.locator('[data-testid=agent-export]').click()
	]);
	const path = await download.path();
	const { readFileSync } = await import('node:fs');
	const trace = JSON.parse(readFileSync(path, 'utf8'));
	expect(trace.format).toBe('execlab-trace');
	expect(trace.version).toBe(2);
	expect(trace.outcome.reward).toBe(1);
	expect(trace.environment.databases.map((d: { name: string }) => d.name)).toEqual(['school']);
	expect(trace.header.prompt.completion).toBe(posts[0].body.prompt);
	expect(JSON.stringify(trace)).not.toContain('apiKey');

	// Loading that trace replays its model output through the loop, executing the SQL again.
	await page.setInputFiles('[data-testid=agent-trace-file]', path);
	await page.waitForFunction(
		() =>
			(document.querySelector('[data-testid=agent-provider-kind]') as HTMLSelectElement).value ===
			'replay'
	);
	await runToEnd(page);
	expect(await page.locator('[data-testid=agent-observation] pre').first().innerText()).toBe(
		expected.trim()
	);
	expect(await page.locator('[data-testid=agent-reward]').innerText()).toBe('reward 1');
	expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(2);

	for (const scheme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme: scheme });
		await page.setViewportSize({ width: 1280, height: 800 });
		await shot(page, `agent-sql-${scheme}-desktop`);
		await page.setViewportSize({ width: 390, height: 844 });
		await shot(page, `agent-sql-${scheme}-narrow`);
	}
	await page.close();
});

test('LeTI-style Python session: a traceback first, then an answer that passes the tests', async () => {
	const server = await scripted([
		{
			chunks: [
				'Let me try the obvious version.\n<python>\ndef second_largest(numbers):\n',
				'    return sorted(numbers)[-2]\n\nassert second_largest([2, 2]) is None\n</python>'
			],
			delayMs: 30
		},
		{
			chunks: [
				'Duplicates break it; use distinct values.\n<answer>\ndef second_largest(numbers):\n',
				'    values = sorted(set(numbers))\n    return values[-2] if len(values) > 1 else None\n</answer>'
			],
			delayMs: 30
		}
	]);
	const page = await openPage(rig.browser, rig.app.url);
	await page.setViewportSize({ width: 1280, height: 800 });
	await openAgentTab(page);
	await page.selectOption('[data-testid=agent-task-pick]', 'python-01');
	await useOpenAi(page, {
		baseUrl: server.url,
		model: 'test-model',
		preset: 'python-feedback',
		mode: 'chat'
	});
	await runToEnd(page, 170_000);

	expect(await page.locator('[data-testid=agent-action]').count()).toBe(1);
	const obs = page.locator('[data-testid=agent-action] [data-testid=agent-observation]');
	expect(await obs.getAttribute('data-status')).toBe('error');
	const feedback = await obs.locator('pre').innerText();
	expect(feedback).toContain('Traceback');
	expect(feedback).toContain('AssertionError');
	expect(await page.locator('[data-testid=agent-reward]').innerText()).toBe('reward 1');
	expect(server.requests.map((r) => r.path)).toEqual([
		'/v1/chat/completions',
		'/v1/chat/completions'
	]);
	const second = server.requests[1].body.messages;
	expect(second.at(-1).role).toBe('user');
	expect(second.at(-1).content).toContain('AssertionError');
	await shot(page, 'agent-python-light-desktop');
	await page.close();
});

test('a provider failure shows the doctor’s message and fixes, and Stop ends a slow stream', async () => {
	const denied = await scripted([{ status: 401, error: { message: 'invalid api key' } }]);
	const page = await openPage(rig.browser, rig.app.url);
	await openAgentTab(page);
	await useSkyrlSqlSchool(page, denied.url);
	await page.fill('[data-testid=agent-api-key]', 'sk-in-memory-7');
	await runToEnd(page);
	expect(denied.requests[0].headers.authorization).toBe('Bearer sk-in-memory-7');
	const stored = () => page.evaluate(() => JSON.stringify({ ...localStorage }));
	expect(await stored()).not.toContain('sk-in-memory-7');
	const error = await page.locator('[data-testid=agent-error]').innerText();
	expect(error).toMatch(/auth/);
	expect(error).toContain('How to fix it');
	await page.getByLabel('Remember on this device').check();
	expect(await stored()).toContain('sk-in-memory-7');
	await page.getByLabel('Remember on this device').uncheck();
	expect(await stored()).not.toContain('sk-in-memory-7');

	const slow = await scripted([
		{ chunks: Array.from({ length: 200 }, (_, i) => `word${i} `), delayMs: 100 }
	]);
	await page.fill('[data-testid=agent-base-url]', slow.url);
	await page.locator('[data-testid=agent-run]').click();
	await page.waitForFunction(
		() =>
			(document.querySelector('[data-testid=agent-message]')?.textContent ?? '').includes('word3'),
		null,
		{ timeout: 60_000 }
	);
	await page.locator('[data-testid=agent-stop]').click();
	await page
		.waitForSelector('[data-testid=agent-stop-line]', { timeout: 30_000 })
		.catch(async (e: unknown) => {
			const shown = await page.locator('[data-testid=agent-view]').innerText();
			throw new Error(`no stop line after Stop; the view shows:\n${shown}`, { cause: e });
		});
	expect(await page.locator('[data-testid=agent-stopped]').innerText()).toContain('user');
	expect(await slow.requests[0].outcome).toBe('client-closed');
	await page.close();
});

test('Manual provider: the person types the model’s turns, the loop executes them', async () => {
	const page = await openPage(rig.browser, rig.app.url);
	await openAgentTab(page);
	await page.selectOption('[data-testid=agent-task-pick]', 'school-01');
	await page.selectOption('[data-testid=agent-provider-kind]', 'manual');
	await page.selectOption('[data-testid=agent-preset-pick]', 'skyrl-sql');
	await page.locator('[data-testid=agent-run]').click();
	await page.fill(
		'[data-testid=agent-manual-text]',
		'<think>count them</think>\n<sql>SELECT COUNT(*) FROM students WHERE grade_level = 12</sql>'
	);
	await page.locator('[data-testid=agent-manual-send]').click();
	await page.waitForSelector('[data-testid=agent-action] [data-testid=agent-observation]');
	expect(await page.locator('[data-testid=agent-observation] pre').innerText()).toContain(
		String(twelfthGraders)
	);
	await page.fill(
		'[data-testid=agent-manual-text]',
		`<think>${twelfthGraders}</think>\n<solution>SELECT COUNT(*) FROM students WHERE grade_level = 12</solution>`
	);
	await page.keyboard.press('Control+Enter');
	await page.waitForSelector('[data-testid=agent-stop-line]', { timeout: 60_000 });
	expect(await page.locator('[data-testid=agent-reward]').innerText()).toBe('reward 1');
	await page.close();
});

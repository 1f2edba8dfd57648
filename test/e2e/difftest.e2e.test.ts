// The differential-testing presets in the Agent tab, in Chromium: the task form swaps in for codearc,
// a bundled CodeARC task runs against a scripted OpenAI-compatible server with the real Pyodide worker,
// and in play mode the page never shows the hidden function. Screenshots go to test/e2e/screenshots/.
import { expect, test } from 'vitest';
import { codearcTasks } from '../../src/data/difftest/index.ts';
import { useOpenAiServers } from '../fixtures/use-openai-servers.ts';
import { openAgentTab, runToEnd, useOpenAi } from './agent-ui-helpers.ts';
import { openPage } from './rig.ts';
import { useRig } from './use-rig.ts';

const rig = useRig({ app: {} });
const scripted = useOpenAiServers();
const altSum = codearcTasks.find((t) => t.id === 'codearc-alternating-sum')!;
const hiddenLine = 'if i % 2 == 0:';

test('codearc: pick a bundled hidden function, a wrong then a right implementation, reward 1', async () => {
	const impl = (body: string) =>
		`IMPLEMENTATION:\n\`\`\`python\ndef alternating_sum(xs):\n    return ${body}\n\`\`\``;
	const server = await scripted([
		{ chunks: [impl('sum(xs[::2])')] },
		{ chunks: [impl('sum(xs[::2]) - sum(xs[1::2])')] }
	]);
	const page = await openPage(rig.browser, rig.app.url);
	await openAgentTab(page);
	await useOpenAi(page, {
		baseUrl: server.url,
		model: 'test-model',
		preset: 'codearc',
		mode: 'chat'
	});
	await page.waitForSelector('[data-testid=difftest-task]');
	await page.selectOption('[data-testid=difftest-pick]', altSum.id);
	await page.waitForSelector('[data-testid=difftest-invocations]');
	expect(await page.locator('[data-testid=difftest-hidden]').count()).toBe(0);
	await runToEnd(page);
	expect(await page.locator('[data-testid=agent-reward]').last().innerText()).toBe('reward 1');
	const text = await page.locator('body').innerText();
	expect(text).toContain('Ground Truth != Output From Generated Code: 2 != 4');
	expect(text).not.toContain(hiddenLine);
	// The run was saved to the history (a task holding a $state proxy could not be stored).
	expect(text).not.toContain('Could not save');
	await page.waitForTimeout(200);
	await page.screenshot({ path: 'test/e2e/screenshots/difftest-codearc-play-light-desktop.png' });
	// The author sees the source.
	await page.locator('[data-testid=difftest-author]').check();
	expect(await page.locator('[data-testid=difftest-hidden]').inputValue()).toContain(hiddenLine);
	await page.close();
});

test('mokav: the execution feedback comes from the worker tracer; the second test exposes the difference', async () => {
	const server = await scripted([
		{ chunks: ["{'inputdata': [2, 9, 4]}"] },
		{ chunks: ["{'inputdata': [-3, -7]}"] }
	]);
	const page = await openPage(rig.browser, rig.app.url);
	await page.emulateMedia({ colorScheme: 'dark' });
	await page.setViewportSize({ width: 420, height: 900 });
	await openAgentTab(page);
	await useOpenAi(page, {
		baseUrl: server.url,
		model: 'test-model',
		preset: 'mokav',
		mode: 'chat'
	});
	await page.selectOption('[data-testid=difftest-pick]', 'mokav-max-value');
	await runToEnd(page);
	await page.waitForTimeout(200);
	await page.screenshot({ path: 'test/e2e/screenshots/difftest-mokav-dark-narrow.png' });
	expect(server.requests).toHaveLength(2);
	expect(await page.locator('[data-testid=agent-reward]').last().innerText()).toBe('reward 1');
	const sent = server.requests[1].body.messages.at(-1).content as string;
	expect(sent).toBe(
		"When the your generated test input is executed on version 'original', the variable 'best' is assigned the value '0'. However, this variable never attains this value in version 'patched'.\nBoth versions produce an identical output for your generated test input. This identical output is 9. The output should be different. Please generate another test input."
	);
	await page.close();
});

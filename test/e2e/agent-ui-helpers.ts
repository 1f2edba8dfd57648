// Steps shared by the Agent tab e2e tests: open the tab, configure a provider, run, read.
import type { Page } from 'playwright-core';

/** Shows the Agent tab and waits for its (lazily loaded) view. */
export async function openAgentTab(page: Page): Promise<void> {
	await page.locator('#tab-agent').click();
	await page.waitForSelector('[data-testid=agent-view]', { timeout: 30_000 });
}

/** Points the Agent tab at an OpenAI-compatible server with a preset and mode. */
export async function useOpenAi(
	page: Page,
	options: { baseUrl: string; model: string; preset: string; mode: 'chat' | 'completion' }
): Promise<void> {
	await page.selectOption('[data-testid=agent-provider-kind]', 'openai');
	await page.fill('[data-testid=agent-base-url]', options.baseUrl);
	await page.fill('[data-testid=agent-model]', options.model);
	await page.selectOption('[data-testid=agent-preset-pick]', options.preset);
	await page.selectOption('[data-testid=agent-mode]', options.mode);
}

/** Presses Run and waits until the run has ended (its stop line is shown and Run is enabled). */
export async function runToEnd(page: Page, timeout = 120_000): Promise<void> {
	await page.locator('[data-testid=agent-run]').click();
	await page.waitForSelector('[data-testid=agent-stop-line]', { timeout });
	await page.waitForSelector('[data-testid=agent-run]:not([disabled])', { timeout });
}

/** Text of every element matching a selector inside the transcript. */
export function transcriptTexts(page: Page, selector: string): Promise<string[]> {
	return page
		.locator(`[data-testid=agent-transcript] ${selector}`)
		.evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText));
}

/** Picks the school-01 SQL task and points it at a scripted server: SkyRL-SQL, completion mode. */
export async function useSkyrlSqlSchool(page: Page, baseUrl: string): Promise<void> {
	await page.selectOption('[data-testid=agent-task-pick]', 'school-01');
	await useOpenAi(page, { baseUrl, model: 'test-model', preset: 'skyrl-sql', mode: 'completion' });
}

/** Dismisses every dialog the page opens and returns the (live) list of their messages. */
export function collectDialogs(page: Page): string[] {
	const dialogs: string[] = [];
	page.on('dialog', (d) => {
		dialogs.push(d.message());
		void d.dismiss();
	});
	return dialogs;
}

/** Clicks every link in the transcript, then gives anything they started time to run. */
export async function clickTranscriptLinks(page: Page): Promise<void> {
	const links = page.locator('[data-testid=agent-transcript] a');
	for (let i = 0; i < (await links.count()); i++) await links.nth(i).click({ force: true });
	await page.waitForTimeout(500);
}

// Shared steps of the playground e2e tests: driving the editors and reading the panes.
import type { Page } from 'playwright-core';

type SqlGlobals = typeof globalThis & {
	execlab?: { sql?: { start(): Promise<unknown> } };
};

/** Which pane a step acts on. */
export type PaneName = 'python' | 'sql';

/** Shows a pane's tab (no-op in embed mode, where only one pane exists). */
export async function showPane(page: Page, pane: PaneName): Promise<void> {
	const tab = page.locator(`#tab-${pane}`);
	if ((await tab.count()) > 0) await tab.click();
}

/** Replaces the pane's editor text by typing (as a user would, through CodeMirror). */
export async function setCode(page: Page, pane: PaneName, code: string): Promise<void> {
	await showPane(page, pane);
	const content = page.locator(`[data-testid=${pane}-pane] .cm-content`);
	await content.click();
	await page.keyboard.press('ControlOrMeta+a');
	await page.keyboard.press('Delete');
	await page.keyboard.insertText(code);
}

/** Runs the pane's code with Ctrl/Cmd+Enter from inside the editor. */
export async function runWithKeys(page: Page, pane: PaneName): Promise<void> {
	await page.locator(`[data-testid=${pane}-pane] .cm-content`).focus();
	await page.keyboard.press('ControlOrMeta+Enter');
}

/** Waits until the pane is idle again (its Run button enabled). */
export async function waitIdle(page: Page, pane: PaneName, timeout = 60_000): Promise<void> {
	await page.waitForFunction(
		(p) => {
			const b = document.querySelector<HTMLButtonElement>(
				`[data-testid=${p}-pane] [data-testid=run]`
			);
			return b !== null && !b.disabled;
		},
		pane,
		{ timeout }
	);
}

/** Waits until the Python output log contains `text` (output is drawn on the next frame). */
export async function waitOutput(page: Page, text: string, timeout = 30_000): Promise<string> {
	await page.waitForFunction(
		(t) =>
			document
				.querySelector('[data-testid=python-pane] [data-testid=output]')
				?.textContent?.includes(t),
		text,
		{ timeout }
	);
	return pythonOutput(page);
}

/** Text of the Python output log. */
export function pythonOutput(page: Page): Promise<string> {
	return page.locator('[data-testid=python-pane] [data-testid=output]').innerText();
}

/**
 * Waits until Python and SQLite report ready in the status bar (not present in embed mode).
 * SQLite loads only when first used, so it is started here through `execlab.sql` (as the
 * console or an embedding host would); the playground then restores its databases.
 */
export async function waitRuntimes(
	page: Page,
	which: PaneName[] = ['python', 'sql'],
	timeout = 120_000
): Promise<void> {
	if (which.includes('sql')) {
		await page.waitForFunction(() => (globalThis as SqlGlobals).execlab?.sql, null, { timeout });
		await page.evaluate(() => {
			void (globalThis as SqlGlobals).execlab?.sql?.start().catch(() => null);
		});
	}
	for (const r of which) {
		await page.waitForSelector(`[data-testid=status-${r}][data-stage=ready]`, { timeout });
	}
}

/** Header cells and the first rows of the result grid, as text. */
export async function gridText(
	page: Page,
	rows = 3
): Promise<{ head: string[]; rows: string[][] }> {
	return page.evaluate((n) => {
		const grid = document.querySelector('[data-testid=sql-pane] [data-testid=result-grid]');
		if (!grid) return { head: [], rows: [] };
		const cells = (row: Element) =>
			[...row.querySelectorAll('.cell:not(.index)')].map((c) => c.textContent ?? '');
		const head = grid.querySelector('.head');
		const body = [...grid.querySelectorAll('.rows .row')].slice(0, n);
		return { head: head ? cells(head) : [], rows: body.map(cells) };
	}, rows);
}

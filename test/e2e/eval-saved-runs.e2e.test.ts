// The Eval tab's saved runs in Chromium: finished runs are listed with their pack, source, samples,
// state and size; one opens to its results; Delete hides a run at once and Undo brings it back;
// a deletion is written once its undo time is over (it stays gone after a reload); "Delete all
// finished" empties the list.
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage } from './rig.ts';
import { useRig } from './use-rig.ts';

const rig = useRig({ app: {} });

async function openEval(page: Page): Promise<void> {
	await page.locator('#tab-eval').click();
	await page.waitForSelector('[data-testid=eval-view]', { timeout: 60_000 });
	await page.waitForSelector('[data-testid=eval-pack-pick] option', { state: 'attached' });
}

/** Scores the bundled HumanEval pack's reference solutions to the end. */
async function runReference(page: Page): Promise<void> {
	await page.locator('[data-testid=eval-pack-pick]').selectOption('bundled-humaneval');
	await page.locator('input[type=radio][value=reference]').check();
	await page.locator('[data-testid=eval-workers]').fill('1');
	await page.locator('[data-testid=eval-start]').click();
	await page.waitForSelector('[data-testid=eval-state][data-state=done]', { timeout: 180_000 });
}

const savedIds = (page: Page) =>
	page.$$eval('[data-testid=eval-saved-run]', (rows) => rows.map((r) => r.getAttribute('data-id')));

test('saved runs: listed, opened, deleted with undo, and all finished deleted', async () => {
	const page = await openPage(rig.browser, rig.app.url);
	await page.setViewportSize({ width: 1280, height: 900 });
	await openEval(page);
	await runReference(page);
	await runReference(page);
	await expect.poll(() => savedIds(page)).toHaveLength(2);
	const [newest, older] = (await savedIds(page)) as string[];
	const row = page.locator(`[data-testid=eval-saved-run][data-id="${older}"]`);
	const meta = (await row.textContent()) ?? '';
	expect(meta).toContain('reference');
	expect(meta).toMatch(/(\d+)\/\1 samples/);
	expect(meta).toMatch(/\d(\.\d)? (B|KB|MB)/);
	expect(await row.locator('[data-testid=eval-saved-state]').textContent()).toBe('done');

	// Open shows that run's results.
	await row.locator('[data-testid=eval-saved-open]').click();
	await expect.poll(() => row.getAttribute('class')).toContain('shown');
	expect(await page.locator('[data-testid=eval-sample-row]').count()).toBeGreaterThan(0);
	expect(await page.locator('[data-testid=eval-trace-note]').textContent()).toContain('No traces');

	// Delete hides it at once; Undo brings it back.
	await row.locator('[data-testid=eval-saved-delete]').click();
	await expect.poll(() => savedIds(page)).toEqual([newest]);
	await page.locator('[data-testid=eval-saved-undo]').click();
	await expect.poll(() => savedIds(page)).toEqual([newest, older]);

	// Deleted for good once the undo time is over: gone after a reload too.
	await row.locator('[data-testid=eval-saved-delete]').click();
	await page.waitForSelector('[data-testid=eval-saved-undo-bar]', {
		state: 'detached',
		timeout: 30_000
	});
	await page.reload();
	await openEval(page);
	await expect.poll(() => savedIds(page)).toEqual([newest]);

	// Delete all finished, then let it be written.
	await page.locator('[data-testid=eval-saved-delete-finished]').click();
	await expect.poll(() => savedIds(page)).toEqual([]);
	await page.waitForSelector('[data-testid=eval-saved-undo-bar]', {
		state: 'detached',
		timeout: 30_000
	});
	await page.reload();
	await openEval(page);
	await page.waitForSelector('[data-testid=eval-saved-runs]');
	expect(await savedIds(page)).toEqual([]);
	await page.close();
}, 300_000);

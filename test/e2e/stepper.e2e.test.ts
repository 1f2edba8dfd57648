// The stepper (issue 12 §2) in the built app: "Step through" on a recursive program driven by the
// keyboard (the marked line and the variables at each step), the exception, a `while True` cut at
// the step cap with the UI still answering keys, the embed `?lang=python&step=1&code=` and
// screenshots (light and dark, desktop and narrow) under test/e2e/screenshots/ (gitignored).
import { beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage } from './rig.ts';
import { useRig } from './use-rig.ts';
import { setCode, waitOutput, waitRuntimes } from './playground-helpers.ts';

const rig = useRig({ server: {}, offline: { isolated: true } });
let page: Page;

const sizes = { desktop: { width: 1280, height: 800 }, narrow: { width: 390, height: 844 } };

// Steps (0-based), as the tracer reports them: 0 line 1 · 1 line 6 {fact} · 2 call fact{n:3}
// 3 line 2 · 4 line 4 · 5 call{n:2} · 6 line 2 · 7 line 4 · 8 call{n:1} · 9 line 2 · 10 line 3
// 11 return 3 -> 1 · 12 return 4 -> 2 · 13 return 4 -> 6 · 14 return 6 <module> {r:6} (the
// trailing expression `print(r)` runs as a frame of its own) · 15 line 7 · 16 return 7
const factorial = [
	'def fact(n):',
	'    if n <= 1:',
	'        return 1',
	'    return n * fact(n - 1)',
	'',
	'r = fact(3)',
	'print(r)'
].join('\n');

beforeAll(async () => {
	page = await openPage(rig.browser, `${rig.server.url}?lang=python`);
	await page.setViewportSize(sizes.desktop);
	await waitRuntimes(page, ['python']);
});

/** Clicks "Step through" on the pane's code and waits for the first step. */
async function stepThrough(p: Page, code: string): Promise<void> {
	await setCode(p, 'python', code);
	await p.locator('[data-testid=step-through]').click();
	await p.waitForSelector('[data-testid=stepper][data-status=ready]', { timeout: 60_000 });
}

interface Shown {
	line: string | null;
	position: string;
	frames: string[];
	vars: string[];
	stdout: string;
}

/** The marked editor line, the position, the frames and the innermost frame's variables. */
function shown(p: Page): Promise<Shown> {
	return p.evaluate(() => {
		const all = (sel: string, root: ParentNode = document) => [...root.querySelectorAll(sel)];
		const inner = document.querySelector('[data-testid=step-frame]');
		return {
			line: document.querySelector('.cm-stepLine')?.getAttribute('data-step-line') ?? null,
			position: document.querySelector('[data-testid=step-position]')?.textContent ?? '',
			frames: all('[data-testid=step-frame]').map((f) => f.getAttribute('data-func') ?? ''),
			vars: inner
				? all('[data-testid=step-var]', inner).map(
						(v) =>
							`${v.hasAttribute('data-changed') ? '*' : ''}${v.getAttribute('data-name')}=${v.querySelector('td')?.textContent}`
					)
				: [],
			stdout: document.querySelector('[data-testid=step-stdout]')?.textContent ?? ''
		};
	});
}

async function press(p: Page, key: string, times = 1): Promise<Shown> {
	for (let k = 0; k < times; k++) await p.keyboard.press(key);
	return shown(p);
}

test('a recursive program, stepped with the keyboard', async () => {
	await stepThrough(page, factorial);
	// The panel takes focus so the keys step at once.
	expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
		'stepper'
	);
	expect(await shown(page)).toMatchObject({ line: '1', position: 'Step 1 of 17', vars: [] });
	expect(await press(page, 'ArrowRight')).toMatchObject({ line: '6', frames: ['<module>'] });
	expect(await press(page, 'ArrowRight')).toMatchObject({
		line: '1',
		frames: ['fact', '<module>'],
		vars: ['*n=3']
	});
	// ↓ is the next line of the same frame: 2, then 4, then over the recursion to the caller.
	expect((await press(page, 'ArrowDown')).line).toBe('2');
	expect((await press(page, 'ArrowDown')).line).toBe('4');
	const after = await press(page, 'ArrowDown');
	expect(after).toMatchObject({ line: '6', position: 'Step 15 of 17', stdout: '' });
	expect(after.vars.slice(1)).toEqual(['*r=6']);
	expect(await press(page, 'End')).toMatchObject({ position: 'Step 17 of 17', stdout: '6\n' });
	// Shift+← is the previous line: back to the call on line 6.
	expect(await press(page, 'Shift+ArrowLeft')).toMatchObject({
		line: '6',
		position: 'Step 2 of 17'
	});
	await press(page, 'Home');
	const deepest = await press(page, 'ArrowRight', 9);
	expect(deepest).toMatchObject({
		line: '2',
		frames: ['fact', 'fact', 'fact', '<module>'],
		vars: ['n=1']
	});
	expect((await press(page, 'ArrowLeft')).vars).toEqual(['*n=1']);
	// The return of the innermost call, by the scrubber.
	await page.locator('[data-testid=step-scrubber]').fill('11');
	expect(await page.locator('[data-testid=step-event]').innerText()).toBe('Line 3: fact returns 1');
	await screenshots('stepper-recursion');
	// An edit leaves step mode and unmarks the line.
	await page.locator('[data-testid=python-pane] .cm-content').click();
	await page.keyboard.press('End');
	await page.keyboard.insertText(' # edited');
	expect(await page.locator('[data-testid=stepper]').count()).toBe(0);
	expect(await page.locator('.cm-stepLine').count()).toBe(0);
});

test('the exception where it is raised', async () => {
	await stepThrough(page, 'def pick(xs, i):\n    return xs[i]\n\nx = [1, 2]\nprint(pick(x, 5))\n');
	await page.locator('[data-testid=step-to-exception]').click();
	expect(await page.locator('[data-testid=step-exception]').innerText()).toContain(
		'IndexError: list index out of range'
	);
	expect(await shown(page)).toMatchObject({ line: '2', frames: ['pick', '<module>'] });
	expect(await page.locator('.cm-stepLine-exception').count()).toBe(1);
	await screenshots('stepper-exception');
});

test('while True stops at the step cap and the stepper stays responsive', async () => {
	await stepThrough(page, 'n = 0\nwhile True:\n    n += 1\n');
	expect((await shown(page)).position).toBe('Step 1 of 10,000+');
	await page.keyboard.press('End');
	await page.waitForSelector('[data-testid=step-cap]');
	const end = await press(page, 'ArrowLeft', 200);
	expect(end.position).toBe('Step 9,800 of 10,000+');
	// n counts the loop's passes: every third step (lines 2, 3, then 2 with the new n).
	expect(end.vars.find((v) => v.includes('n='))).toMatch(/^\*?n=\d+$/);
	const lines = await press(page, 'ArrowUp', 100);
	expect(lines.position).not.toBe(end.position);
	await page.keyboard.press('Escape');
	expect(await page.locator('[data-testid=stepper]').count()).toBe(0);
	// The next ordinary run is normal.
	await setCode(page, 'python', 'print(41 + 1)');
	await page.locator('[data-testid=run]').click();
	expect(await waitOutput(page, '42')).toContain('42');
});

test('Stop ends a long trace; the steps before it are shown', async () => {
	// The loop runs as code of another file, which the tracer does not follow: few steps, long run.
	await setCode(page, 'python', 'x = 1\nexec(compile("while True: pass", "elsewhere", "exec"))\n');
	await page.locator('[data-testid=step-through]').click();
	await page.waitForSelector('[data-testid=stepper][data-status=tracing]');
	await page.waitForTimeout(500);
	await page.locator('[data-testid=stepper] button', { hasText: 'Stop' }).click();
	await page.waitForSelector('[data-testid=stepper][data-status=ready]', { timeout: 20_000 });
	// Interrupted (the page is isolated), the run keeps its steps up to the loop, which raised.
	await page.locator('[data-testid=step-to-exception]').click();
	expect(await page.locator('[data-testid=step-exception]').innerText()).toContain(
		'KeyboardInterrupt'
	);
	expect((await shown(page)).line).toBe('2');
	await page.keyboard.press('Escape');
});

test('?embed=1&lang=python&step=1&code= opens in step mode', async () => {
	const code = 'total = 0\nfor i in range(3):\n    total += i\nprint(total)\n';
	const embed = await openPage(
		rig.browser,
		`${rig.server.url}?embed=1&lang=python&step=1&code=${encodeURIComponent(code)}`
	);
	await embed.setViewportSize({ width: 640, height: 480 });
	await embed.waitForSelector('[data-testid=stepper][data-status=ready]', { timeout: 120_000 });
	expect(await embed.locator('[role=tablist]').count()).toBe(0);
	expect(await shown(embed)).toMatchObject({ line: '1', position: 'Step 1 of 11' });
	await embed.locator('[data-testid=stepper]').focus();
	expect(await press(embed, 'ArrowRight', 4)).toMatchObject({
		line: '3',
		vars: ['total=0', '*i=1']
	});
	expect(await press(embed, 'End')).toMatchObject({ stdout: '3\n' });
	await embed.screenshot({ path: 'test/e2e/screenshots/stepper-embed-light.png' });
	// A wide frame puts the stepper beside the editor.
	await embed.setViewportSize({ width: 900, height: 420 });
	await embed.emulateMedia({ colorScheme: 'dark' });
	const [editor, stepper] = await Promise.all(
		['.cm-editor', '[data-testid=stepper]'].map((s) => embed.locator(s).boundingBox())
	);
	expect(stepper!.x).toBeGreaterThanOrEqual(editor!.x + editor!.width - 1);
	await embed.screenshot({ path: 'test/e2e/screenshots/stepper-embed-dark-wide.png' });
	await embed.close();
});

test('after one visit the embedded stepper opens with the server gone', async () => {
	const first = await openPage(rig.browser, rig.offline.url);
	await first.waitForFunction(
		() => navigator.serviceWorker.controller?.state === 'activated',
		null,
		{ timeout: 120_000, polling: 250 }
	);
	await rig.offline.close();
	const code = 'def sq(x):\n    return x * x\n\ny = sq(7)\n';
	await first.goto(
		`${rig.offline.url}?embed=1&lang=python&step=1&code=${encodeURIComponent(code)}`
	);
	await first.waitForSelector('[data-testid=stepper][data-status=ready]', { timeout: 120_000 });
	expect((await press(first, 'End')).vars).toEqual([
		'sq=' + (await varValue(first, 'sq')),
		'*y=49'
	]);
	await first.close();
});

function varValue(p: Page, name: string): Promise<string> {
	return p
		.locator(`[data-testid=step-frame] [data-testid=step-var][data-name=${name}] td`)
		.first()
		.innerText();
}

async function screenshots(name: string): Promise<void> {
	for (const scheme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme: scheme });
		for (const [size, viewport] of Object.entries(sizes)) {
			await page.setViewportSize(viewport);
			await page.waitForTimeout(100);
			await page.screenshot({ path: `test/e2e/screenshots/${name}-${scheme}-${size}.png` });
		}
	}
	await page.emulateMedia({ colorScheme: 'light' });
	await page.setViewportSize(sizes.desktop);
	await page.locator('[data-testid=stepper]').focus();
}

// The playground driven like a person would: typing, Ctrl+Enter, Stop, the schema browser, opening
// a .sqlite file, and work surviving a reload. Real Pyodide and sql.js in Chromium, built app.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { choirFacts, choirFile } from '../fixtures/choir-db.ts';
import { spiderDb, testRealData } from '../shared-data.ts';
import { launchChromium, openPage, serveStatic, type StaticServer } from './rig.ts';
import {
	gridText,
	runWithKeys,
	setCode,
	showPane,
	waitIdle,
	waitOutput,
	waitRuntimes
} from './playground-helpers.ts';

let browser: Browser;
let server: StaticServer;
let page: Page;

beforeAll(async () => {
	browser = await launchChromium();
	server = await serveStatic();
	page = await openPage(browser, server.url);
	await waitRuntimes(page);
});
afterAll(async () => {
	await browser?.close();
	await server?.close();
});

test('Python: typed code runs with Ctrl+Enter; output and value stream into the log', async () => {
	await setCode(page, 'python', 'for i in range(3):\n    print("line", i)\n6 * 7\n');
	await runWithKeys(page, 'python');
	await waitIdle(page, 'python');
	const out = await waitOutput(page, '42');
	expect(out).toContain('line 0\nline 1\nline 2');
	expect(out).toContain('42');
	expect(await page.locator('[data-testid=python-pane] .cm-errorLine').count()).toBe(0);
});

test('Python: the failing line is marked in the editor and the error shown', async () => {
	await setCode(page, 'python', 'a = 1\nb = 0\nprint(a / b)\n');
	await runWithKeys(page, 'python');
	await waitIdle(page, 'python');
	await waitOutput(page, 'ZeroDivisionError');
	const marked = page.locator('[data-testid=python-pane] .cm-line.cm-errorLine');
	expect(await marked.count()).toBe(1);
	expect(await marked.innerText()).toBe('print(a / b)');
	// Editing clears the mark: the old line number no longer means anything.
	await page.keyboard.type('#');
	expect(await marked.count()).toBe(0);
});

test('Python: Stop ends an endless loop and the session keeps working', async () => {
	await setCode(page, 'python', 'kept = 5\n');
	await runWithKeys(page, 'python');
	await waitIdle(page, 'python');
	await setCode(page, 'python', 'while True:\n    pass\n');
	await runWithKeys(page, 'python');
	const stop = page.locator('[data-testid=python-pane] [data-testid=stop]');
	await page.waitForFunction(
		() =>
			!document.querySelector<HTMLButtonElement>('[data-testid=python-pane] [data-testid=stop]')
				?.disabled
	);
	await page.waitForTimeout(300);
	await stop.click();
	await waitIdle(page, 'python', 20_000);
	expect(await waitOutput(page, 'Stopped')).toMatch(/KeyboardInterrupt|restarted/);
	await setCode(page, 'python', 'kept * 2\n');
	await runWithKeys(page, 'python');
	await waitIdle(page, 'python');
	expect((await waitOutput(page, '10')).trim()).toBe('10');
});

test('SQL: a query on the sample runs and fills the grid; errors mark their statement', async () => {
	await setCode(page, 'sql', "SELECT 1 AS one, 'two' AS two, NULL AS three;\n");
	await runWithKeys(page, 'sql');
	await waitIdle(page, 'sql');
	expect(await gridText(page)).toEqual({
		head: ['one', 'two', 'three'],
		rows: [['1', 'two', 'NULL']]
	});

	await setCode(page, 'sql', 'SELECT 1;\n\nSELEKT oops;\n');
	await runWithKeys(page, 'sql');
	await waitIdle(page, 'sql');
	expect(await page.locator('[data-testid=sql-error]').innerText()).toMatch(/syntax error/);
	const marked = page.locator('[data-testid=sql-pane] .cm-line.cm-errorLine');
	expect(await marked.innerText()).toBe('SELEKT oops;');
});

test('SQL: clicking a name in the schema browser inserts it at the cursor', async () => {
	await setCode(page, 'sql', 'SELECT * FROM ');
	const table = page.locator('[data-testid=sql-pane] nav[aria-label=Schema] button.table').first();
	const name = (await table.innerText()).trim();
	await table.click();
	expect(await page.locator('[data-testid=sql-pane] .cm-content').innerText()).toBe(
		`SELECT * FROM ${name}`
	);
	// The editor has focus again, so typing continues where the name went in.
	await page.keyboard.type(' LIMIT 2;');
	await runWithKeys(page, 'sql');
	await waitIdle(page, 'sql');
	expect((await gridText(page, 5)).rows.length).toBe(2);
});

/**
 * Opens a .sqlite through the file input and checks it became the active database: its tables
 * listed, a non-ASCII table name inserted quoted, counts run against it.
 */
async function expectOpenedFile(
	file: string,
	expected: {
		db: string;
		tables: string[];
		quoted: string;
		count: string;
		other: string;
		otherCount: string;
	}
): Promise<void> {
	await showPane(page, 'sql');
	await page.locator('[data-testid=db-file]').setInputFiles(file);
	await page.waitForFunction(
		(db) => document.querySelector<HTMLSelectElement>('[data-testid=db-picker]')?.value === db,
		expected.db
	);
	const tables = await page
		.locator('[data-testid=sql-pane] nav[aria-label=Schema] button.table')
		.allInnerTexts();
	expect(tables.map((t) => t.trim()).sort()).toEqual(expected.tables);
	// A non-ASCII name is inserted quoted, so it works as typed.
	await setCode(page, 'sql', 'SELECT count(*) AS n FROM ');
	await page.locator('nav[aria-label=Schema] button.table', { hasText: expected.quoted }).click();
	expect(await page.locator('[data-testid=sql-pane] .cm-content').innerText()).toBe(
		`SELECT count(*) AS n FROM "${expected.quoted}"`
	);
	await runWithKeys(page, 'sql');
	await waitIdle(page, 'sql');
	expect((await gridText(page)).rows).toEqual([[expected.count]]);
	await setCode(page, 'sql', `SELECT count(*) AS n FROM ${expected.other};`);
	await runWithKeys(page, 'sql');
	await waitIdle(page, 'sql');
	expect((await gridText(page)).rows).toEqual([[expected.otherCount]]);
}

testRealData('SQL: a real .sqlite (Spider pets_1) opened through the file input', async () => {
	await expectOpenedFile(spiderDb('pets_1'), {
		db: 'pets_1',
		tables: ['hat_haustier', 'haustiere', 'schüler'],
		quoted: 'schüler',
		count: '34',
		other: 'haustiere',
		otherCount: '3'
	});
});

// Last, so that the reload test below finds our database active.
test('SQL: a .sqlite opened through the file input becomes the active database', async () => {
	await expectOpenedFile(await choirFile(), {
		db: choirFacts.db,
		tables: [...choirFacts.tables],
		quoted: 'sänger',
		count: String(choirFacts.singers),
		other: 'probe',
		otherCount: '4'
	});
});

test('work survives a reload: editor text and a database change', async () => {
	await setCode(page, 'python', 'print("kept across reloads")\n');
	await setCode(
		page,
		'sql',
		"CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);\nINSERT INTO notes(body) VALUES ('hello'), ('world');\n"
	);
	await runWithKeys(page, 'sql');
	await waitIdle(page, 'sql');
	expect(await page.locator('[data-testid=sql-pane] .summary').innerText()).toMatch(
		/2 rows changed/
	);
	await page.waitForTimeout(800);
	await page.reload();
	await waitRuntimes(page);
	await showPane(page, 'python');
	expect(await page.locator('[data-testid=python-pane] .cm-content').innerText()).toContain(
		'print("kept across reloads")'
	);
	await page.waitForFunction(
		(db) => document.querySelector<HTMLSelectElement>('[data-testid=db-picker]')?.value === db,
		choirFacts.db
	);
	await setCode(page, 'sql', 'SELECT body FROM notes ORDER BY id;');
	await runWithKeys(page, 'sql');
	await waitIdle(page, 'sql');
	expect((await gridText(page)).rows).toEqual([['hello'], ['world']]);

	// Undo goes back to before the last change, and that survives a reload too.
	await setCode(page, 'sql', 'DELETE FROM notes;');
	await runWithKeys(page, 'sql');
	await waitIdle(page, 'sql');
	await page.getByRole('button', { name: 'Undo change' }).click();
	await page.waitForFunction(() =>
		document.querySelector('[data-testid=sql-pane] .notice')?.textContent?.includes('Undid')
	);
	await setCode(page, 'sql', 'SELECT count(*) FROM notes;');
	await runWithKeys(page, 'sql');
	await waitIdle(page, 'sql');
	expect((await gridText(page)).rows).toEqual([['2']]);
});

import { readFileSync, readdirSync } from 'node:fs';
import { strToU8, gzipSync, zipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import type { PackFile, TaskPack } from '../../src/core/eval/pack.ts';
import { PackError, packCounts, parsePack } from '../../src/core/eval/packs/index.ts';
import { bundledPacks } from '../../src/data/packs/index.ts';
import { describeRealData, sharedPath } from '../shared-data.ts';

const enc = (text: string) => strToU8(text);
const file = (name: string, text: string): PackFile => ({ name, bytes: enc(text) });
const shared = (relative: string, name = relative): PackFile => ({
	name,
	bytes: new Uint8Array(readFileSync(sharedPath(relative)))
});

/** The Spider sample as a user picks it: dev, tables and the database folder. */
function spiderSampleFiles(): PackFile[] {
	const dbs = readdirSync(sharedPath('spider/database')).flatMap((id) =>
		readdirSync(sharedPath(`spider/database/${id}`)).map((f) =>
			shared(`spider/database/${id}/${f}`, `database/${id}/${f}`)
		)
	);
	return [
		shared('spider/dev-sample.json', 'dev-sample.json'),
		shared('spider/tables-sample.json', 'tables-sample.json'),
		...dbs
	];
}

/** The error parsePack throws, for asserting on its message. */
async function packError(input: Parameters<typeof parsePack>[0]): Promise<PackError> {
	try {
		await parsePack(input);
	} catch (e) {
		if (e instanceof PackError) return e;
		throw e;
	}
	throw new Error('parsePack accepted a bad pack');
}

function asFormat<F extends TaskPack['format']>(pack: TaskPack, format: F) {
	expect(pack.format).toBe(format);
	return pack as Extract<TaskPack, { format: F }>;
}

describeRealData('importers on the real files', () => {
	test('MBPP jsonl: 100 tasks, ids kept, detected without a format', async () => {
		const pack = asFormat(
			await parsePack({ files: [shared('mbpp/mbpp-dev.jsonl', 'mbpp.jsonl')] }),
			'mbpp'
		);
		expect(pack.tasks).toHaveLength(100);
		expect(pack.tasks[0].task_id).toBe(1);
		expect(pack.tasks.at(-1)?.task_id).toBe(600);
		expect(pack.id).toMatch(/^[0-9a-f]{64}$/);
		expect(pack.origin).toBe('mbpp.jsonl');
	});

	test('HumanEval jsonl and the same file gzipped give the same problems and id', async () => {
		const plain = shared('humaneval/humaneval-sample.jsonl', 'HumanEval.jsonl');
		const a = asFormat(await parsePack({ files: [plain] }), 'humaneval');
		const gz = { name: 'HumanEval.jsonl.gz', bytes: gzipSync(plain.bytes) };
		const b = asFormat(await parsePack({ files: [gz] }), 'humaneval');
		expect(a.problems.map((p) => p.task_id)).toEqual(
			Array.from({ length: 20 }, (_, i) => `HumanEval/${i}`)
		);
		expect(b.problems).toEqual(a.problems);
		expect(b.id).toBe(a.id);
	});

	test('Spider sample: dev + tables + database folders, and the same as one zip', async () => {
		const files = spiderSampleFiles();
		const pack = asFormat(await parsePack({ files }), 'spider');
		expect(pack.items).toHaveLength(127);
		expect(pack.databases.map((d) => d.dbId).sort()).toEqual([
			'concert_singer',
			'pets_1',
			'poker_player'
		]);
		expect(pack.tables.map((t) => t.db_id).sort()).toEqual(
			pack.databases.map((d) => d.dbId).sort()
		);
		expect(pack.databases[0].files[0].name).toBe('database/concert_singer/concert_singer.sqlite');
		const zip = zipSync(Object.fromEntries(files.map((f) => [`spider/${f.name}`, f.bytes])));
		const zipped = asFormat(
			await parsePack({ files: [{ name: 'spider.zip', bytes: zip }] }),
			'spider'
		);
		expect(zipped.items).toEqual(pack.items);
		expect(zipped.databases.map((d) => d.files[0].bytes.length)).toEqual(
			pack.databases.map((d) => d.files[0].bytes.length)
		);
	});

	test('Spider sample without one database names the record and the db_id', async () => {
		const files = spiderSampleFiles().filter((f) => !f.name.includes('pets_1'));
		const e = await packError({ files });
		expect(e.message).toMatch(
			/^dev-sample\.json, record \d+ \(db_id "pets_1"\), field "db_id": no database/
		);
	});
});

describe('bundled packs', () => {
	test('three packs of our own, with their counts', () => {
		const packs = bundledPacks();
		expect(packs.map((p) => [p.id, p.format, p.origin])).toEqual([
			['bundled-humaneval', 'humaneval', 'bundled'],
			['bundled-mbpp', 'mbpp', 'bundled'],
			['bundled-spider', 'spider', 'bundled']
		]);
		expect(packs.map((p) => packCounts(p).tasks)).toEqual([12, 10, 17]);
		expect(packCounts(packs[2]).databases).toBe(2);
	});

	test('each bundled pack written out in its format reads back equal through parsePack', async () => {
		const [he, mbpp, spider] = bundledPacks();
		const heBack = asFormat(
			await parsePack({
				files: [
					file(
						'starter.jsonl',
						asFormat(he, 'humaneval')
							.problems.map((p) => JSON.stringify(p))
							.join('\n')
					)
				]
			}),
			'humaneval'
		);
		expect(heBack.problems).toEqual(asFormat(he, 'humaneval').problems);
		const mbppBack = asFormat(
			await parsePack({
				files: [
					file(
						'mbpp.jsonl',
						asFormat(mbpp, 'mbpp')
							.tasks.map((t) => JSON.stringify(t))
							.join('\n')
					)
				]
			}),
			'mbpp'
		);
		expect(mbppBack.tasks).toEqual(asFormat(mbpp, 'mbpp').tasks);
		const sp = asFormat(spider, 'spider');
		const fakeDb = new Uint8Array(4096);
		fakeDb.set(enc('SQLite format 3\0'));
		const spBack = asFormat(
			await parsePack({
				files: [
					file('dev.json', JSON.stringify(sp.items)),
					file('tables.json', JSON.stringify(sp.tables)),
					{ name: 'database/school/school.sqlite', bytes: fakeDb },
					{ name: 'database/shop/shop.sqlite', bytes: fakeDb }
				]
			}),
			'spider'
		);
		expect(spBack.items).toEqual(sp.items);
		expect(spBack.tables).toEqual(sp.tables);
	});
});

describe('bad packs are refused with the file, record, field and problem named', () => {
	const heLine = (over: Record<string, unknown> = {}) =>
		JSON.stringify({
			task_id: 'T/0',
			prompt: 'def f():\n',
			canonical_solution: '    return 1\n',
			test: 'def check(c):\n    assert c() == 1\n',
			entry_point: 'f',
			...over
		});

	test('a truncated JSONL line', async () => {
		const text = `${heLine()}\n${heLine({ task_id: 'T/1' }).slice(0, 40)}`;
		const e = await packError({ format: 'humaneval', files: [file('he.jsonl', text)] });
		expect(e.message).toMatch(/^he\.jsonl, line 2: invalid JSON: /);
	});

	test('a truncated JSON array names where it broke', async () => {
		const text = JSON.stringify([{ db_id: 'x', question: 'q', query: 'SELECT 1' }]).slice(0, 30);
		const e = await packError({
			format: 'spider',
			files: [file('dev.json', text), file('tables.json', '[]')]
		});
		expect(e.message).toMatch(/^dev\.json: invalid JSON at line 1, column \d+ \(truncated\?\)/);
	});

	test('a wrong type names the line, the task_id and the field', async () => {
		const text = `${heLine()}\n${heLine({ task_id: 'T/1', entry_point: 7 })}`;
		const e = await packError({ files: [file('he.jsonl', text)] });
		expect(e.message).toMatch(
			/^he\.jsonl, line 2 \(task_id "T\/1"\), field "entry_point": .*expected string/
		);
	});

	test('MBPP: a test_list that is not a list of strings, a duplicate id, an empty list', async () => {
		const t = (over: Record<string, unknown>) =>
			JSON.stringify({
				text: 't',
				code: 'x = 1',
				task_id: 3,
				test_list: ['assert x == 1'],
				...over
			});
		let e = await packError({ files: [file('mbpp.jsonl', t({ test_list: ['a', 2] }))] });
		expect(e.message).toMatch(/^mbpp\.jsonl, line 1 \(task_id 3\), field "test_list\.1": /);
		e = await packError({ files: [file('mbpp.jsonl', `${t({})}\n\n${t({})}`)] });
		expect(e.message).toBe(
			'mbpp.jsonl, line 3 (task_id 3), field "task_id": this task_id appears twice'
		);
		e = await packError({ files: [file('mbpp.jsonl', t({ test_list: [] }))] });
		expect(e.message).toBe(
			'mbpp.jsonl, line 1 (task_id 3), field "test_list": no tests: the list is empty'
		);
	});

	test('sanitized MBPP (a JSON array) reads, and a record of the wrong shape is named by index', async () => {
		const good = { task_id: 11, prompt: 'p', code: 'c', test_imports: [], test_list: ['assert 1'] };
		const pack = asFormat(
			await parsePack({ files: [file('sanitized-mbpp.json', JSON.stringify([good]))] }),
			'mbpp'
		);
		expect(pack.tasks[0]).toEqual({ ...good });
		const e = await packError({
			format: 'mbpp',
			files: [file('sanitized-mbpp.json', JSON.stringify([good, { ...good, task_id: 'x' }]))]
		});
		expect(e.message).toMatch(/^sanitized-mbpp\.json, record 1 \(task_id "x"\), field "task_id": /);
	});

	test('the wrong format: MBPP records given as HumanEval', async () => {
		const text = JSON.stringify({ text: 't', code: 'c', task_id: 1, test_list: ['assert 1'] });
		const e = await packError({ format: 'humaneval', files: [file('mbpp.jsonl', text)] });
		expect(e.message).toMatch(
			/^mbpp\.jsonl, line 1 \(task_id 1\), field "task_id": .*expected string, received number/
		);
	});

	test('files that are no benchmark at all', async () => {
		const e = await packError({ files: [file('notes.json', '{"hello": 1}'), file('a.txt', 'x')] });
		expect(e.message).toMatch(/^notes\.json, a\.txt: cannot tell which benchmark this pack is/);
	});

	test('a database file that is not SQLite', async () => {
		const e = await packError({
			files: [
				file('dev.json', JSON.stringify([{ db_id: 'd', question: 'q', query: 'SELECT 1' }])),
				file(
					'tables.json',
					JSON.stringify([
						{
							db_id: 'd',
							table_names_original: [],
							column_names_original: [],
							column_types: [],
							foreign_keys: [],
							primary_keys: []
						}
					])
				),
				file('database/d/d.sqlite', 'hello')
			]
		});
		expect(e.message).toBe('database/d/d.sqlite: not an SQLite database file');
	});

	test('BIRD: ids kept, difficulty read, a missing database named', async () => {
		const items = [
			{
				question_id: 7,
				db_id: 'x',
				question: 'q',
				evidence: '',
				SQL: 'SELECT 1',
				difficulty: 'simple'
			}
		];
		const db = new Uint8Array(4096);
		db.set(enc('SQLite format 3\0'));
		const pack = asFormat(
			await parsePack({
				files: [
					file('dev.json', JSON.stringify(items)),
					{ name: 'dev_databases/x/x.sqlite', bytes: db }
				]
			}),
			'bird'
		);
		expect(pack.items[0]).toMatchObject({ question_id: 7, difficulty: 'simple' });
		const e = await packError({ files: [file('dev.json', JSON.stringify(items))] });
		expect(e.message).toMatch(/^dev\.json, record 0 \(db_id "x"\), field "db_id": no database/);
	});

	test('50 MB of junk: random bytes, and 50 MB of text that is not JSON', async () => {
		const junk = new Uint8Array(50 * 1024 * 1024);
		let x = 12345;
		for (let i = 0; i < junk.length; i++) {
			x = (x * 1103515245 + 12345) >>> 0;
			junk[i] = x >>> 24;
		}
		let e = await packError({ files: [{ name: 'mbpp.jsonl', bytes: junk }] });
		expect(e.message).toBe('mbpp.jsonl: not UTF-8 text (52.4 MB)');
		e = await packError({ files: [{ name: 'data.zip', bytes: junk }] });
		expect(e.message).toMatch(/^data\.zip: not a readable zip archive/);
		e = await packError({ files: [{ name: 'x.jsonl.gz', bytes: junk }] });
		expect(e.message).toMatch(/^x\.jsonl\.gz: not readable gzip data/);
		const text = new Uint8Array(junk.length).fill(0x61);
		e = await packError({ format: 'humaneval', files: [{ name: 'he.jsonl', bytes: text }] });
		expect(e.message).toMatch(/^he\.jsonl, line 1: invalid JSON: /);
	}, 60_000);

	test('no files, empty file', async () => {
		expect((await packError({ files: [] })).message).toBe('(no files): the pack has no files');
		expect((await packError({ format: 'mbpp', files: [file('mbpp.jsonl', '\n')] })).message).toBe(
			'mbpp.jsonl: no tasks in the file'
		);
	});
});

test('the id is a content hash: the same files in another order, or zipped, give the same id', async () => {
	const a = file(
		'he.jsonl',
		JSON.stringify({ task_id: 'a', prompt: '', canonical_solution: '', test: '', entry_point: 'f' })
	);
	const p1 = await parsePack({ files: [a] });
	const p2 = await parsePack({
		files: [{ name: 'pack.zip', bytes: zipSync({ 'he.jsonl': a.bytes }) }]
	});
	expect(p2.id).toBe(p1.id);
	const changed = await parsePack({
		files: [file('he.jsonl', new TextDecoder().decode(a.bytes).replace('"a"', '"b"'))]
	});
	expect(changed.id).not.toBe(p1.id);
});

test('Spider as its release zip lays it out: dev.json chosen over the train files, only the databases used kept', async () => {
	const db = new Uint8Array(4096);
	db.set(enc('SQLite format 3\0'));
	const item = (db_id: string) => ({ db_id, question: 'q', query: 'SELECT 1' });
	const schema = (db_id: string) => ({
		db_id,
		table_names_original: [],
		column_names_original: [],
		column_types: [],
		foreign_keys: [],
		primary_keys: []
	});
	const zip = zipSync({
		'spider/train_spider.json': enc(JSON.stringify([item('a')])),
		'spider/train_others.json': enc(JSON.stringify([item('b')])),
		'spider/dev.json': enc(JSON.stringify([item('c')])),
		'spider/tables.json': enc(JSON.stringify([schema('a'), schema('b'), schema('c')])),
		'spider/database/a/a.sqlite': db,
		'spider/database/c/c.sqlite': db,
		'spider/database/c/c_test2.sqlite': db,
		'__MACOSX/spider/database/c/._c.sqlite': enc('resource fork')
	});
	const pack = asFormat(await parsePack({ files: [{ name: 'spider.zip', bytes: zip }] }), 'spider');
	expect(pack.items).toEqual([item('c')]);
	expect(pack.tables.map((t) => t.db_id)).toEqual(['c']);
	expect(pack.databases).toHaveLength(1);
	expect(pack.databases[0].files.map((f) => f.name)).toEqual([
		'spider.zip/spider/database/c/c.sqlite',
		'spider.zip/spider/database/c/c_test2.sqlite'
	]);
	expect(pack.title).toBe('Spider: dev.json');
});

test('a lone <db_id>.sqlite beside dev.json is that database', async () => {
	const db = new Uint8Array(4096);
	db.set(enc('SQLite format 3\0'));
	const items = [{ question_id: 1, db_id: 'card_games', question: 'q', SQL: 'SELECT 1' }];
	const pack = asFormat(
		await parsePack({
			files: [file('dev.json', JSON.stringify(items)), { name: 'card_games.sqlite', bytes: db }]
		}),
		'bird'
	);
	expect(pack.databases.map((d) => [d.dbId, d.files[0].name])).toEqual([
		['card_games', 'card_games.sqlite']
	]);
});

import { describe, expect, test } from 'vitest';
import pythonTasks from '../../src/data/python-tasks.json' with { type: 'json' };
import {
	completionOf,
	exportBirdPredictions,
	exportHumanEvalSamples,
	exportSpiderGold,
	exportSpiderPredictions,
	humanEvalProgram,
	importBird,
	importHumanEval,
	importMbpp,
	importSanitizedMbpp,
	importSpider,
	importSpiderTables,
	mbppSchema,
	mbppTask,
	spiderTask
} from '../../src/core/datasets/index.ts';
import { mbppStyleText } from '../fixtures/mbpp-style.ts';
import { describeRealData, readShared } from '../shared-data.ts';

describe('dataset importers on our own data', () => {
	test('MBPP-style jsonl: 6 problems with 3 asserts each, as tasks; CRLF solutions lose the CR', () => {
		const items = importMbpp(mbppStyleText);
		expect(items).toHaveLength(6);
		expect(items.every((i) => i.test_list.length === 3)).toBe(true);
		expect(items[0].code).toContain('\r');
		const task = mbppTask(items[0]);
		expect(task).toMatchObject({ id: 'mbpp/9001', tests: items[0].test_list });
		expect(task.gold).not.toContain('\r');
		expect(mbppTask(items[1]).setup).toBe('from datetime import date');
	});

	test('a broken line is reported with its number', () => {
		expect(() =>
			importMbpp(mbppStyleText.split('\n').slice(0, 2).join('\n') + '\n{"text": 1}')
		).toThrow(/line 3/);
	});

	test('sanitized MBPP json reads test_imports as setup', () => {
		const [item] = importSanitizedMbpp(
			JSON.stringify([
				{
					source_file: 'x',
					task_id: 2,
					prompt: 'Do it.',
					code: 'def f(): return 1',
					test_imports: ['import math'],
					test_list: ['assert f() == 1']
				}
			])
		);
		expect(mbppTask(item)).toMatchObject({ description: 'Do it.', setup: 'import math' });
	});

	test('our bundled Python tasks are valid MBPP lines', () => {
		expect(pythonTasks).toHaveLength(10);
		for (const t of pythonTasks) expect(mbppSchema.safeParse(t).success).toBe(true);
	});

	test('BIRD dev json and its prediction format', () => {
		const items = importBird(
			JSON.stringify([
				{
					question_id: 0,
					db_id: 'shop',
					question: 'q?',
					evidence: 'e',
					SQL: 'SELECT 1',
					difficulty: 'simple'
				}
			])
		);
		expect(items[0].difficulty).toBe('simple');
		expect(JSON.parse(exportBirdPredictions([{ sql: 'SELECT 1', db: 'shop' }]))).toEqual({
			'0': 'SELECT 1\t----- bird -----\tshop'
		});
	});

	test('HumanEval problems, check program and samples file', () => {
		const line = JSON.stringify({
			task_id: 'HumanEval/0',
			prompt: 'def add(a, b):\n    """Add."""\n',
			canonical_solution: '    return a + b\n',
			test: 'def check(candidate):\n    assert candidate(1, 2) == 3\n',
			entry_point: 'add'
		});
		const [p] = importHumanEval(line + '\n');
		expect(humanEvalProgram(p, p.canonical_solution)).toBe(
			`${p.prompt}${p.canonical_solution}\n${p.test}\ncheck(add)`
		);
		expect(completionOf(p, p.prompt + '    return 0\n')).toBe('    return 0\n');
		expect(exportHumanEvalSamples([{ task_id: p.task_id, completion: 'x' }])).toBe(
			'{"task_id":"HumanEval/0","completion":"x"}\n'
		);
	});
});

describeRealData('dataset importers on the shared data', () => {
	const mbppText = () => readShared('mbpp/mbpp-dev.jsonl');

	test('MBPP jsonl: 100 problems with 3 asserts each, as tasks', () => {
		const items = importMbpp(mbppText());
		expect(items).toHaveLength(100);
		expect(items.every((i) => i.test_list.length === 3)).toBe(true);
		const task = mbppTask(items[0]);
		expect(task).toMatchObject({ id: 'mbpp/1', tests: items[0].test_list });
		expect(task.gold).not.toContain('\r');
	});

	test('a broken line is reported with its number', () => {
		expect(() =>
			importMbpp(mbppText().split('\n').slice(0, 2).join('\n') + '\n{"text": 1}')
		).toThrow(/line 3/);
	});

	test('HumanEval sample: 20 problems whose canonical program names its entry point', () => {
		const problems = importHumanEval(readShared('humaneval/humaneval-sample.jsonl'));
		expect(problems.map((p) => p.task_id)).toEqual(
			Array.from({ length: 20 }, (_, i) => `HumanEval/${i}`)
		);
		for (const p of problems)
			expect(humanEvalProgram(p, p.canonical_solution).endsWith(`check(${p.entry_point})`)).toBe(
				true
			);
	});

	test('Spider dev + tables: 127 questions over 3 databases; gold and prediction files', () => {
		const dev = importSpider(readShared('spider/dev-sample.json'));
		const tables = importSpiderTables(readShared('spider/tables-sample.json'));
		expect(dev).toHaveLength(127);
		expect(tables.map((t) => t.db_id).sort()).toEqual(['concert_singer', 'pets_1', 'poker_player']);
		expect(spiderTask(dev[0], 0)).toEqual({
			id: 'spider/0',
			question: dev[0].question,
			db: 'concert_singer',
			gold: dev[0].query
		});
		const gold = exportSpiderGold(dev).split('\n');
		expect(gold[0]).toBe('SELECT count(*) FROM sänger\tconcert_singer');
		expect(exportSpiderPredictions(['SELECT 1\nFROM t', 'SELECT 2'])).toBe(
			'SELECT 1 FROM t\nSELECT 2\n'
		);
	});
});

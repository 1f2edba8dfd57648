// Expected values were produced by running the official readers and writers with python3 3.11:
// taoyds/test-suite-sql-eval evaluation.py `evaluate` (the predictions loop), DAMO-ConvAI
// bird/llm/src/gpt_request.py `generate_sql_file` and evaluation.py `package_sqls(mode='gpt')`,
// openai/human-eval human_eval/data.py `stream_jsonl`.
import { describe, expect, test } from 'vitest';
import {
	PredictionFileError,
	pyStrip,
	readBirdPredictions,
	readHumanEvalSamples,
	readMbppPredictions,
	readSpiderPredictions,
	spiderEmptyPrediction,
	writeBirdPredictions,
	writeSpiderPredictions
} from '../../src/core/eval/prediction-files.ts';

describe('Spider predicted_sql.txt', () => {
	test('read as evaluation.py reads it: Python strip, cut at the tab, value→1, universal newlines', () => {
		// python3: spider_read("  SELECT value FROM t\tconcert_singer\r\nSELECT 2\x1c\rSELECT 3\x85\n\n")
		// → [["SELECT 1 FROM t", "SELECT 2", "SELECT 3"]] (one interaction)
		expect(
			readSpiderPredictions(
				'  SELECT value FROM t\tconcert_singer\r\nSELECT 2\x1c\rSELECT 3\x85\n\n'
			)
		).toEqual(['SELECT 1 FROM t', 'SELECT 2', 'SELECT 3']);
	});

	test('a blank line between predictions is refused with its line (the official run splits there)', () => {
		// python3: "SELECT 1\n\nSELECT 2\n" → [['SELECT 1'], ['SELECT 2']]: two interactions against
		// Spider gold's one, so `assert len(plist) == len(glist)` fails.
		expect(() => readSpiderPredictions('SELECT 1\n\nSELECT 2\n')).toThrow(PredictionFileError);
		expect(() => readSpiderPredictions('SELECT 1\n\nSELECT 2\n')).toThrow(/^line 2: blank line/);
	});

	test('written one a line: newlines and tabs become spaces, an empty prediction a failing query', () => {
		const text = writeSpiderPredictions([
			'SELECT a\nFROM t',
			'',
			'SELECT "x\ty"',
			'  SELECT 1\r\n'
		]);
		expect(text).toBe(`SELECT a FROM t\n${spiderEmptyPrediction}\nSELECT "x y"\nSELECT 1\n`);
		// Read back it keeps one prediction per question (what evaluate's zip pairs with the gold).
		expect(readSpiderPredictions(text)).toEqual([
			'SELECT a FROM t',
			'SELECT',
			'SELECT "x y"',
			'SELECT 1'
		]);
	});

	test("Python's strip set, not JavaScript's trim", () => {
		expect(pyStrip('\x1c\x85 a \ufeff')).toBe('a \ufeff');
	});
});

describe('BIRD predict_dev.json', () => {
	test('written byte for byte as generate_sql_file (json.dump indent=4, ensure_ascii)', () => {
		// python3 json.dump({0: 'SELECT a\nFROM t\t----- bird -----\tshop', ...}, fp, indent=4)
		const expected =
			'{\n    "0": "SELECT a\\nFROM t\\t----- bird -----\\tshop",\n    "1": "SELECT \'\\u00e9\\u2603\\u007f\' -- \\"q\\" \\\\\\t----- bird -----\\tcard_games",\n    "2": "\\t----- bird -----\\tx"\n}';
		expect(
			writeBirdPredictions(
				['SELECT a\nFROM t', 'SELECT \'é☃\x7f\' -- "q" \\', ''],
				['shop', 'card_games', 'x']
			)
		).toBe(expected);
		// python3 json.dumps({}, indent=4) → '{}'
		expect(writeBirdPredictions([], [])).toBe('{}');
	});

	test("read as package_sqls reads it: the file's key order, repeated keys, non-strings on financial", () => {
		// python3 package_sqls on this file → [["10","SELECT 3","c"], ["2"," ","financial"],
		// ["1"," ","financial"], ["0"," ","financial"]]
		const text =
			'{"10": "SELECT 1\\t----- bird -----\\ta", "2": null, "1": NaN, "10": "SELECT 3\\t----- bird -----\\tc", "0": [1, {"a": NaN}]}';
		expect(readBirdPredictions(text)).toEqual([
			{ key: '10', sql: 'SELECT 3', db: 'c' },
			{ key: '2', sql: ' ', db: 'financial' },
			{ key: '1', sql: ' ', db: 'financial' },
			{ key: '0', sql: ' ', db: 'financial' }
		]);
	});

	test('round trip, and a separator inside the SQL is written so it still splits in two', () => {
		const sqls = ['SELECT 1', 'SELECT 2 \t----- bird -----\t x', 'SELECT\n3'];
		const back = readBirdPredictions(writeBirdPredictions(sqls, ['a', 'b', 'c']));
		expect(back.map((p) => p.db)).toEqual(['a', 'b', 'c']);
		expect(back.map((p) => p.sql)).toEqual([
			'SELECT 1',
			'SELECT 2  ----- bird -----  x',
			'SELECT\n3'
		]);
	});

	test('bad files name the key or offset', () => {
		expect(() => readBirdPredictions('{"0": "SELECT 1"}')).toThrow(
			/^key "0": value: expected .* found it 0 times/
		);
		expect(() => readBirdPredictions('{"0": "SELECT 1\\t----- bird -----\\ta"')).toThrow(
			PredictionFileError
		);
		expect(() => readBirdPredictions('[1]')).toThrow(/^offset 0: not a JSON object/);
		expect(() => writeBirdPredictions(['a'], [])).toThrow(/1 predictions but 0 database ids/);
	});
});

describe('HumanEval samples.jsonl and MBPP JSONL', () => {
	test('samples in file order, whitespace-only lines skipped, other fields kept', () => {
		const text =
			'{"task_id": "HumanEval/1", "completion": "    return 1\\n", "seed": 3}\r\n \t\n{"task_id": "HumanEval/0", "completion": ""}';
		const samples = readHumanEvalSamples(text);
		expect(samples.map((s) => [s.task_id, s.completion, s.line])).toEqual([
			['HumanEval/1', '    return 1\n', 1],
			['HumanEval/0', '', 3]
		]);
		expect(samples[0].record).toEqual({
			task_id: 'HumanEval/1',
			completion: '    return 1\n',
			seed: 3
		});
	});

	test('bad samples name the line and the field', () => {
		expect(() => readHumanEvalSamples('{"task_id": "HumanEval/0"}')).toThrow(
			/^line 1: completion: missing/
		);
		expect(() => readHumanEvalSamples('\n{"task_id": 0, "completion": ""}')).toThrow(
			/^line 2: task_id: expected a string, got 0/
		);
		expect(() => readHumanEvalSamples('{"task_id": "a", "comp')).toThrow(/^line 1: not JSON/);
		expect(() => readHumanEvalSamples('[1]')).toThrow(/^line 1: expected a JSON object/);
	});

	test('MBPP predictions: completion, else generation; integer or string ids', () => {
		const text =
			'{"task_id": 11, "completion": "def f(): pass"}\n{"task_id": "12", "generation": "x = 1"}\n';
		expect(readMbppPredictions(text)).toEqual([
			{ task_id: 11, completion: 'def f(): pass', line: 1 },
			{ task_id: '12', completion: 'x = 1', line: 2 }
		]);
		expect(() => readMbppPredictions('{"task_id": 1.5, "completion": ""}')).toThrow(
			/^line 1: task_id/
		);
		expect(() => readMbppPredictions('{"task_id": 1}')).toThrow(/^line 1: generation: missing/);
	});
});

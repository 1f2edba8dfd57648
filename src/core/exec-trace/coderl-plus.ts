// CodeRL+ (Jiang et al., "CodeRL+: Improving Code Generation via Reinforcement with Execution
// Semantics Alignment"): a task built from a run (predict its output and the final values of up to
// 3 of its variables) and the reward of a model's JSON answer. Repository: jiangxxxue/CODERLPLUS.
import type { TraceStep } from '../../../workers/protocol.ts';
import {
	PyJsonError,
	pyEquals,
	pyJsonDumps,
	pyJsonLoads,
	pyStrip,
	pyStrOf,
	type PyValue
} from './py-json.ts';
import { reprValue } from './py-literal.ts';

/** One run as CodeRL+'s rollout record holds it. */
export interface ExecSemanticsRun {
	code: string;
	testInput: string;
	/** What the run printed (`actual_output`). */
	actualOutput: string;
	/** Final value of each local variable, in the order they were first set (`local_variable`). */
	localVariable: Map<string, PyValue>;
	/** `problem_id` of the task; default `unknown_0_0` (the record's defaults). */
	problemId?: string;
	/** `cyclomatic_complexity` (CodeRL+ computes it with radon); left out when not given. */
	cyclomaticComplexity?: number;
}

/** A CodeRL+ execution-semantics task: the user prompt and the reward's ground truth (JSON text). */
export interface ExecSemanticsItem {
	prompt: string;
	groundTruth: string;
	/** The variables the prompt asks for. */
	variables: string[];
}

/**
 * The final value of each variable of a frame, in the order first set, read from a trace: the
 * top level by default, else the first call of `func` (its frame only). Values are our reprs read
 * back as literals (a value that is not one stays its repr). How CodeRL+ collects `local_variable`
 * is not in its repository; this is our reading ("final values at the moment the code outputs").
 */
export function finalLocals(steps: readonly TraceStep[], func = '<module>'): Map<string, PyValue> {
	const out = new Map<string, PyValue>();
	let depth = 0;
	let target = func === '<module>' ? 0 : -1;
	for (const step of steps) {
		const top = step.func === '<module>';
		if (step.event === 'call' && !top) {
			depth++;
			if (target < 0 && step.func === func) target = depth;
		}
		const mine = func === '<module>' ? top : !top && depth === target;
		if (mine) for (const [k, v] of Object.entries(step.changed ?? {})) out.set(k, reprValue(v));
		if (step.event === 'return' && !top) {
			if (depth === target && func !== '<module>') break;
			depth--;
		}
	}
	return out;
}

/** `recipe/code_extractor.py` `create_exec_semantics_align_prompt`, word for word. */
export function execSemanticsPrompt(code: string, testInput: string, names: string[]): string {
	const list = pyStrOf(names);
	return `Given the following Python Code and Input, predict:
1) The code's output value (final_output)
2) The final values of the listed local variables at the moment the code outputs

Python code: \`\`\`python${code}\`\`\`
Input: ${testInput}
Target local variables: ${list}

Instructions:
1. First, write a reasoning section explaining step-by-step how the code executes with the given Input
2. Do not include any JSON in the reasoning section
3. On the LAST line only, output a strict JSON object with the required format

Example of final answer (LAST line only):
{"final_output": 3\n6, "variables": {"cnt": 2, "buf": [1, 2]}}
`;
}

/**
 * `recipe/code_extractor.py` `create_exec_semantics_align_task_record`: the last
 * `maxLocalVariableName` (3) variables, the prompt, and the ground truth as `json.dumps` writes it
 * (`cyclomatic_complexity`, computed there with radon, only when given: the reward does not read it).
 */
export function execSemanticsItem(
	run: ExecSemanticsRun,
	maxLocalVariableName = 3
): ExecSemanticsItem {
	let names = [...run.localVariable.keys()];
	if (names.length > maxLocalVariableName) names = names.slice(-maxLocalVariableName);
	const expected = new Map([...run.localVariable].filter(([name]) => names.includes(name)));
	const truth = new Map<string, PyValue>([
		['input', run.testInput],
		['expected_output', run.actualOutput],
		['expected_local_variable', expected],
		['code', run.code],
		['problem_id', run.problemId ?? 'unknown_0_0']
	]);
	if (run.cyclomaticComplexity !== undefined) {
		truth.set('cyclomatic_complexity', { int: BigInt(run.cyclomaticComplexity) });
	}
	return {
		prompt: execSemanticsPrompt(run.code, run.testInput, names),
		groundTruth: pyJsonDumps(truth),
		variables: names
	};
}

const noneValues = new Set(['None', 'none', 'null', 'Null', 'NULL']);
const trueValues = new Set(['True', 'true', 'TRUE', '1']);
const falseValues = new Set(['False', 'false', 'FALSE', '0']);
const floatText =
	/^[+-]?(?:(?:(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*|\d(?:_?\d)*\.)(?:[eE][+-]?\d(?:_?\d)*)?|inf|infinity|nan)$/i;

class PyOverflow extends Error {}

// Python's float(x): a number or numeric text; TypeError/ValueError as undefined.
function pyFloat(value: PyValue): number | undefined {
	if (typeof value === 'string') {
		const t = pyStrip(value);
		if (!floatText.test(t)) return undefined;
		const plain = t.replaceAll('_', '').toLowerCase();
		if (plain.endsWith('nan')) return NaN;
		if (plain.endsWith('inf') || plain.endsWith('infinity')) {
			return plain.startsWith('-') ? -Infinity : Infinity;
		}
		return Number(plain);
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
	if (value instanceof Map) return undefined;
	if ('float' in value) return value.float;
	const f = Number(value.int);
	// float(int) raises OverflowError, which check_value_equality does not catch.
	if (!Number.isFinite(f)) throw new PyOverflow('int too large to convert to float');
	return f;
}

/** `recipe/reward/reward_function_coderlplus.py` `check_value_equality` (Python semantics). */
export function checkValueEquality(predicted: PyValue, expected: PyValue): boolean {
	if (pyEquals(predicted, expected)) return true;
	const p = pyStrip(pyStrOf(predicted));
	const e = pyStrip(pyStrOf(expected));
	if (noneValues.has(p) && noneValues.has(e)) return true;
	if (trueValues.has(p) && trueValues.has(e)) return true;
	if (falseValues.has(p) && falseValues.has(e)) return true;
	// float(predicted) first: when it raises, float(expected) is never evaluated.
	const pn = typeof predicted === 'boolean' ? null : pyFloat(predicted);
	if (pn !== undefined) {
		const en = typeof expected === 'boolean' ? null : pyFloat(expected);
		if (pn !== null && en !== null && en !== undefined && Math.abs(pn - en) < 1e-9) return true;
	}
	if (Array.isArray(predicted) && Array.isArray(expected)) {
		if (predicted.length !== expected.length) return false;
		return predicted.every((x, i) => checkValueEquality(x, expected[i]));
	}
	if (predicted instanceof Map && expected instanceof Map) {
		if (predicted.size !== expected.size || [...predicted.keys()].some((k) => !expected.has(k))) {
			return false;
		}
		return [...predicted].every(([k, v]) => checkValueEquality(v, expected.get(k)!));
	}
	return p === e;
}

function loads(text: string): PyValue | undefined {
	try {
		return pyJsonLoads(text);
	} catch (error) {
		if (error instanceof PyJsonError) return undefined;
		throw error;
	}
}

// dict.get on what json.loads gave; a non-dict raises AttributeError (the reward is then 0).
function get(value: PyValue, key: string, fallback: PyValue): PyValue {
	if (!(value instanceof Map)) throw new TypeError("'get' of a value that is not a dict");
	return value.has(key) ? value.get(key)! : fallback;
}

/**
 * `recipe/reward/reward_function_coderlplus.py` `compute_exec_semantics_align_score`: 0 unless the
 * answer's last line is a JSON object with `final_output` and `variables`; then
 * 0.1 + 0.9 × (items right) / (1 + expected variables), items compared by `check_value_equality`.
 * Any error on the way scores 0, as its catch-all does.
 */
export function execSemanticsReward(solution: string, groundTruth: string): number {
	try {
		return score(solution, groundTruth);
	} catch {
		return 0;
	}
}

function score(solution: string, groundTruth: string): number {
	const truth = loads(groundTruth) ?? new Map([['expected_output', groundTruth]]);
	const expectedOutput = get(truth, 'expected_output', '');
	const expectedVariables = get(truth, 'expected_local_variable', new Map());
	const lines = pyStrip(solution).split('\n');
	const predicted = loads(pyStrip(lines[lines.length - 1]));
	if (predicted === undefined) return 0;
	if (!has(predicted, 'final_output') || !has(predicted, 'variables')) return 0;
	const output = item(predicted, 'final_output');
	const variables = get(predicted, 'variables', new Map());
	if (!(expectedVariables instanceof Map)) throw new TypeError('expected variables not a dict');
	let correct = checkValueEquality(output, expectedOutput) ? 1 : 0;
	for (const [name, value] of expectedVariables) {
		if (has(variables, name) && checkValueEquality(item(variables, name), value)) correct++;
	}
	return 0.1 + (correct / (1 + expectedVariables.size)) * 0.9;
}

// Python's `key in value`: a dict's keys, a list's items, a str's substrings; else TypeError.
function has(value: PyValue, key: string): boolean {
	if (value instanceof Map) return value.has(key);
	if (Array.isArray(value)) return value.some((v) => pyEquals(v, key));
	if (typeof value === 'string') return value.includes(key);
	throw new TypeError('argument of this type is not iterable');
}

// Python's `value[key]` with a str key: only a dict has one (a list or str raises TypeError).
function item(value: PyValue, key: string): PyValue {
	if (value instanceof Map && value.has(key)) return value.get(key)!;
	throw new TypeError('not subscriptable by str');
}

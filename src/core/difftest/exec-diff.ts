import type { Runtime } from '../runtime.ts';
import type { TraceStep } from '../../../workers/protocol.ts';

// Mokav's execution feedback (`E`; ASSERT-KTH/Mokav src/code_runner.py get_var_states,
// get_first_unique_state, get_exec_diff): the values each variable takes in each version, then the
// first variable, in order of first assignment, that takes a value in one version it never takes in the
// other. Mokav collects the values with spotflow; here they are the line tracer's `changed` reprs.

/** The values a variable took (first-seen order) and when it first appeared. */
export interface VarStates {
	states: string[];
	ind: number;
}

/** A variable and a value it took in one version only. */
export type UniqueState = [name: string, value: string];

/** Mokav drops values whose text is 50 characters or longer (`len(str(x)) < 50`). */
const maxValueChars = 50;
/** Names get_var_states skips. */
const skipped = new Set(['args', 'global_list']);

/** Mokav's extract_function_name: `code.split("def ")[1].split("(")[0]`. */
export function firstFunctionName(code: string): string {
	const parts = code.split('def ');
	if (parts.length < 2) throw new RangeError('The program defines no function (no "def ")');
	return parts[1].split('(')[0];
}

/** The value sets of the variables of the program's functions, from a trace's steps. */
export function varStates(steps: TraceStep[], programLines: number): Map<string, VarStates> {
	const vars = new Map<string, VarStates>();
	let ind = 0;
	for (const step of steps) {
		if (step.func === '<module>' || step.line > programLines || !step.changed) continue;
		for (const [name, value] of Object.entries(step.changed)) {
			if (skipped.has(name)) continue;
			let v = vars.get(name);
			if (!v) vars.set(name, (v = { states: [], ind: ind++ }));
			if (value.length < maxValueChars && !v.states.includes(value)) v.states.push(value);
		}
	}
	return vars;
}

/** get_first_unique_state: the first common variable (by `l`'s order) with a value `r` never takes. */
export function firstUniqueState(
	l: Map<string, VarStates>,
	r: Map<string, VarStates>
): UniqueState | null {
	const common = [...l.keys()]
		.filter((k) => r.has(k))
		.sort((a, b) => l.get(a)!.ind - l.get(b)!.ind);
	for (const name of common) {
		const other = new Set(r.get(name)!.states);
		const unique = l.get(name)!.states.find((s) => !other.has(s));
		if (unique !== undefined) return [name, unique];
	}
	return null;
}

/** Traces a program's function on an input (a Python literal) and returns its variables' value sets. */
export async function traceVarStates(
	runtime: Pick<Runtime, 'python'>,
	program: string,
	inputText: string,
	star: boolean,
	options: { session: string; timeoutMs?: number; signal?: AbortSignal }
): Promise<Map<string, VarStates>> {
	const name = firstFunctionName(program);
	const code = [
		program,
		'import ast as _dt_ast',
		`_dt_in = _dt_ast.literal_eval(${JSON.stringify(inputText)})`,
		`${name}(${star ? '*' : ''}_dt_in)`
	].join('\n');
	try {
		const result = await runtime.python.trace(code, {
			session: options.session,
			timeoutMs: options.timeoutMs ?? 10_000,
			signal: options.signal
		});
		return varStates(result.steps, program.split('\n').length);
	} finally {
		await runtime.python.reset(options.session);
	}
}

/** get_exec_diff: the patched version's unique state and the original's, each or null. */
export async function execDiff(
	runtime: Pick<Runtime, 'python'>,
	programs: { original: string; patched: string },
	inputText: string,
	star: boolean,
	options: { session: string; timeoutMs?: number; signal?: AbortSignal }
): Promise<{ patched: UniqueState | null; original: UniqueState | null }> {
	const acc = await traceVarStates(runtime, programs.patched, inputText, star, options);
	const rej = await traceVarStates(runtime, programs.original, inputText, star, options);
	return { patched: firstUniqueState(acc, rej), original: firstUniqueState(rej, acc) };
}

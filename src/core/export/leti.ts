import type { AgentEvent, PythonTask } from '../trace/events.ts';
import type { TraceV2 } from '../trace/trace-v2.ts';

// LeTI's special tokens (xingyaoww/LeTI leti/scripts/model/run_leti.py, module constants; added to the
// tokenizer by leti/scripts/model/init/init_hf_codegen_flax.py).
const GOOD = '<|good|>';
const BAD = '<|bad|>';
const FEEDBACK_BEGIN = '<|lang_feedback|>';
const FEEDBACK_END = '<|/lang_feedback|>';

/** LeTI's feedback prefix for a failed program (leti/utils/reward/utils.py, INCORRECT_LANG_FEEDBACK). */
export const LETI_INCORRECT = 'The code is not working correctly. Here is some feedback: ';
/** LeTI's feedback for a working program, one picked per instance (leti/utils/reward/utils.py, CORRECT_LANG_FEEDBACK). */
export const LETI_CORRECT = [
	'The code is working correctly.',
	'Great! This code works!',
	'The code is producing the right results.',
	'The code is running correctly!',
	'The code is executing correctly.',
	'This code is producing the desired results.',
	'Well done - your code is functioning as expected.',
	"Congratulations! You've correctly implemented the program.",
	"Superb! You've written a working program.",
	"You've successfully implemented the program."
] as const;

/** One LeTI training instance (the fields build_data_instance_coarse_grained returns, plus the joined text). */
export interface LetiInstance {
	success: boolean;
	problem: string;
	generated_solution: string;
	language_feedback: string;
	/** `text_a`: the feedback; `text_b`: problem + generated solution. */
	text_a: string;
	text_b: string;
	/** The sequence train_tokenize_function tokenizes: reward token, bracketed feedback, problem, solution. */
	text: string;
}

/**
 * A traceback as LeTI's get_exec_traceback_info (leti/utils/execute/__init__.py) prints it, rebuilt
 * from ours and the program that ran: frames in "<string>" with their source line (stripped, indented
 * 4) and a blank line between frames; a SyntaxError's location, source and message joined likewise.
 * Line numbers stay relative to the program, as LeTI shifts them back to it.
 */
export function letiTraceback(
	error: { type: string; message: string; traceback?: string; line?: number | null },
	program: string
): string {
	const lines = program.split('\n');
	const source = (n: number) => `    ${(lines[n - 1] ?? '').trim()}\n`;
	const head = 'Traceback (most recent call last):\n';
	// Python's str() of a SyntaxError appends "(file, line n)"; LeTI prints only its msg.
	const message = error.message.replace(/ \(<exec>, line \d+\)$/, '');
	const last = message ? `${error.type}: ${message}\n` : `${error.type}\n`;
	if (error.type === 'SyntaxError' || error.type === 'IndentationError') {
		const n = error.line ?? 1;
		return head + [`  File "<string>", line ${n}\n`, source(n), last].join('\n');
	}
	const frames: string[] = [];
	for (const m of (error.traceback ?? '').matchAll(/^ {2}File "<exec>", line (\d+), in (.+)$/gm))
		frames.push(`  File "<string>", line ${m[1]}, in ${m[2]}\n${source(Number(m[1]))}`);
	return head + frames.join('\n') + last;
}

/**
 * A python trace as LeTI reward-conditioned sequences (run_leti.py, train_tokenize_function, with
 * coarse_grain.py's build_data_instance_coarse_grained): one per executed program, `<|good|>` or
 * `<|bad|>`, then `<|lang_feedback|>feedback<|/lang_feedback|>`, then problem + generation. The
 * problem is the raw prompt; the generation the model's text of that turn. `pick` chooses the
 * correct-feedback sentence (LeTI draws it with random.choice under seed 42).
 */
export function toLetiInstances(
	trace: TraceV2,
	pick: (index: number) => number = () => 0
): LetiInstance[] {
	const problem = trace.header.prompt.completion;
	const texts = new Map<number, string>();
	const callOfTurn = new Map<number, number>();
	for (const e of trace.events) {
		if (e.type === 'text') texts.set(e.call, (texts.get(e.call) ?? '') + e.text);
		if (e.type === 'call') callOfTurn.set(e.turn, e.call);
	}
	const out: LetiInstance[] = [];
	let program = '';
	for (const e of trace.events) {
		if (e.type === 'action' && e.kind === 'python') program = e.code;
		if (e.type !== 'observation' || e.result.engine !== 'python') continue;
		const generation = texts.get(callOfTurn.get(e.turn) ?? -1) ?? '';
		const error = (e.result as { error?: Parameters<typeof letiTraceback>[0] | null }).error;
		out.push(
			instance(
				problem,
				generation,
				error ? LETI_INCORRECT + letiTraceback(error, program) : null,
				out.length,
				pick
			)
		);
	}
	const final = finalAnswer(trace.events);
	if (final) {
		const generation = texts.get(callOfTurn.get(final.turn) ?? -1) ?? '';
		const feedback = final.passed ? null : LETI_INCORRECT + final.reason;
		out.push(instance(problem, generation, feedback, out.length, pick));
	}
	return out;
}

// The answer's turn and whether its final reward passed; a failure's feedback is its reward status.
function finalAnswer(
	events: readonly AgentEvent[]
): { turn: number; passed: boolean; reason: string } | null {
	const answer = events.findLast((e) => e.type === 'answer');
	const reward = events.findLast((e) => e.type === 'reward' && e.final);
	if (!answer || answer.type !== 'answer' || !reward || reward.type !== 'reward') return null;
	return {
		turn: answer.turn,
		passed: reward.value === 1,
		reason: String(reward.components.status ?? 'failed')
	};
}

function instance(
	problem: string,
	generation: string,
	failure: string | null,
	index: number,
	pick: (index: number) => number
): LetiInstance {
	const success = failure === null;
	const feedback = failure ?? LETI_CORRECT[pick(index) % LETI_CORRECT.length];
	const textA = `${FEEDBACK_BEGIN}${feedback}${FEEDBACK_END}`;
	const textB = problem + generation;
	return {
		success,
		problem,
		generated_solution: generation,
		language_feedback: feedback,
		text_a: feedback,
		text_b: textB,
		text: `${success ? GOOD : BAD}${textA}${textB}`
	};
}

/**
 * LeTI's MBPP problem text (leti/scripts/data/process_mbpp.py, generate_prompt, with its default
 * empty additional prompt and feedback): the description and first test in a docstring.
 */
export function letiProblem(task: PythonTask): string {
	return `"""\n${task.description}\n${task.tests[0] ?? ''}\n"""`;
}

/** The program LeTI runs for a generation (leti/utils/execute/executor.py, _execute_task): problem, generation, newline, tests. */
export function letiProgram(task: PythonTask, generation: string): string {
	return letiProblem(task) + generation + '\n' + task.tests.join('\n');
}

/**
 * The LeTI instance of one generation for an MBPP-style task, given the error (null when it passed)
 * of running {@link letiProgram} in our Python; line numbers are then LeTI's own.
 */
export function letiInstanceFor(
	task: PythonTask,
	generation: string,
	error: Parameters<typeof letiTraceback>[0] | null,
	pick: (index: number) => number = () => 0,
	index = 0
): LetiInstance {
	const program = letiProgram(task, generation);
	const failure = error ? LETI_INCORRECT + letiTraceback(error, program) : null;
	return instance(letiProblem(task), generation, failure, index, pick);
}

/** LeTI instances as JSONL, one per line. */
export function toLetiJsonl(traces: readonly TraceV2[]): string {
	return traces
		.flatMap((t) => toLetiInstances(t))
		.map((i) => JSON.stringify(i) + '\n')
		.join('');
}

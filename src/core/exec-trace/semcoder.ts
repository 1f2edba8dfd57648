// SemCoder (Ding et al., "SemCoder: Training Code Language Models with Comprehensive Semantics
// Reasoning"): the source annotated with the values a call's variables take, line by line. SemCoder
// traces the call with pysnooper (depth 2 under a test wrapper, so the function's own frame) and
// turns the log into comments; here the log is written from our trace in pysnooper's layout and
// read back as SemCoder reads it. Repository: ARiSE-Lab/SemCoder (experiments/).
import type { TraceStep } from '../../../workers/protocol.ts';
import { callSteps } from './call-steps.ts';
import { PyJsonError, pyJsonDumps, pyJsonLoads, pyStrip, type PyValue } from './py-json.ts';

/** pysnooper's default `max_variable_length`, which SemCoder leaves as it is. */
const maxVariableLength = 100;
const timestamp = '00:00:00.000000';

/** pysnooper's `utils.truncate`: the middle of a long text replaced by `...`. */
function truncate(text: string, max: number): string {
	if (text.length <= max) return text;
	const left = Math.floor((max - 3) / 2);
	const right = max - 3 - left;
	return `${text.slice(0, left)}...${text.slice(text.length - right)}`;
}

// pysnooper's get_shortish_repr, from our repr: line breaks dropped, then truncated.
function shortish(repr: string): string {
	return truncate(repr.replace(/[\r\n]/g, ''), maxVariableLength);
}

/**
 * The pysnooper log (`pysnooper.snoop(depth=...)` `Tracer.trace` output, without its colours and
 * with a fixed timestamp) of the `occurrence`-th call of `entry`, as SemCoder's
 * `experiments/build_self_refine_input.py` `extract_trace` leaves it: that frame's lines only,
 * unindented. Values are our tracer's reprs, which equal pysnooper's unless our repr cap cut them;
 * the layout is pysnooper's `Tracer.trace` (1.x: `Starting var:..`, `New var:.......`,
 * `Modified var:..`, the event line, `Return value:..`, `Exception:.....`, `Call ended by exception`).
 */
export function pysnooperLog(
	source: string,
	steps: readonly TraceStep[],
	entry: string,
	occurrence = 0
): string {
	const lines = source.split('\n');
	const out: string[] = [];
	const known = new Set<string>();
	let previous: TraceStep | undefined;
	for (const step of callSteps(steps, entry, 'frame', occurrence)) {
		for (const [name, repr] of Object.entries(step.changed ?? {})) {
			const label =
				step.event === 'call'
					? 'Starting var:.. '
					: known.has(name)
						? 'Modified var:.. '
						: 'New var:....... ';
			known.add(name);
			out.push(`${label}${name} = ${shortish(repr)}`);
		}
		const text = lines[step.line - 1] ?? '';
		// pysnooper tells a frame left by an exception from a return (its `ended_by_exception`);
		// here: a return right after the frame's exception step, with no line run in between.
		const unwound = step.event === 'return' && previous?.event === 'exception';
		previous = step;
		if (unwound) {
			out.push('Call ended by exception');
			continue;
		}
		out.push(`${timestamp} ${step.event.padEnd(9)} ${String(step.line).padStart(4)} ${text}`);
		if (step.event === 'return') out.push(`Return value:.. ${shortish(step.value ?? 'None')}`);
		if (step.event === 'exception' && step.exception !== undefined) {
			out.push(`Exception:..... ${truncate(step.exception, maxVariableLength)}`);
		}
	}
	return out.join('\n');
}

/** `construct_trace.py` `handle_value`: a logged repr as the value SemCoder keeps. */
export function handleValue(text: string): PyValue {
	let v = text;
	if (v.startsWith('[') && v.endsWith(']')) v = v.replaceAll("'", '"');
	try {
		return pyJsonLoads(v);
	} catch (error) {
		if (!(error instanceof PyJsonError)) throw error;
	}
	if (v === 'None') return null;
	if (v === "''") return '';
	if (v === 'True') return true;
	if (v === 'False') return false;
	if (v.startsWith("'")) return v.slice(1, -1);
	return v;
}

/** `construct_trace.py` `convertv2s`: a value as the annotation writes it. */
export function convertv2s(value: PyValue, output = false): string {
	if (typeof value === 'boolean') return value ? 'True' : 'False';
	if (value === null) return 'None';
	if (typeof value === 'string') {
		if (!output) return value;
		const wrapped = (a: string, b: string) => value.startsWith(a) && value.endsWith(b);
		if (wrapped('"', '"') || wrapped("'", "'") || wrapped('(', ')') || wrapped('{', '}')) {
			return value;
		}
		return `"${value}"`;
	}
	return pyJsonDumps(value);
}

/** `construct_trace.py` `concise_spad`: past 3 states on a line, the 3rd to the last-but-one become ` ... `. */
export function conciseSpad(line: string): string {
	const count = line.split('[STATE').length - 1;
	if (count <= 3) return line;
	const third = line.indexOf('[STATE', line.indexOf('[STATE', line.indexOf('[STATE') + 1) + 1);
	const last = line.lastIndexOf('[STATE');
	return `${line.slice(0, third)} ... ${line.slice(last)}`;
}

const inputPattern = /^Starting var:\.* (.*?) = (.*)/;
const outputPattern = /^Return value:\.* (.*)/;
const varPattern = /^(New var|Modified var):\.* (.*?) = (.*)/;

type StateEntry = [times: number, order: number, name: string, value: PyValue];

interface ParsedLog {
	info: Map<number, StateEntry[]>;
	inputs: Map<string, PyValue>;
	firstLine: number;
}

// The log-reading half of attach_trace_to_code.
function parseLog(log: string): ParsedLog {
	const info = new Map<number, StateEntry[]>();
	const inputs = new Map<string, PyValue>();
	const outputs: PyValue[] = [];
	const times = new Map<number, number>();
	let firstLine = -1;
	let current = 0;
	let order = 0;
	let changed = false;
	for (const raw of log.split('\n')) {
		const line = pyStrip(raw);
		let m: RegExpExecArray | null;
		if ((m = inputPattern.exec(line))) inputs.set(m[1], handleValue(m[2]));
		else if ((m = outputPattern.exec(line))) outputs.push(handleValue(m[1]));
		else if ((m = varPattern.exec(line))) {
			const seen = times.get(current);
			if (seen === undefined) throw new Error(`KeyError: ${current}`);
			const list = info.get(current) ?? info.set(current, []).get(current)!;
			list.push([seen, order, m[2], handleValue(m[3])]);
			changed = true;
		} else {
			const parts = line.split(/\s+/).filter(Boolean);
			if (parts.length < 3 || !/^[+-]?\d+(_\d+)*$/.test(parts[2])) continue;
			current = Number(parts[2].replaceAll('_', ''));
			if (firstLine === -1) firstLine = current;
			times.set(current, (times.get(current) ?? -1) + 1);
			if (changed) {
				order++;
				changed = false;
			}
		}
	}
	if (outputs.length > 0) {
		const list = info.get(current) ?? info.set(current, []).get(current)!;
		list.push([0, order, '[OUTPUT]', outputs[outputs.length - 1]]);
	}
	return { info, inputs, firstLine };
}

function stateText(order: number, state: Map<string, PyValue>, ordered: boolean): string {
	const tag = ordered ? `STATE-${order}` : 'STATE';
	const states = () => `[${tag}] ${pyJsonDumps(state)} [/${tag}]`;
	if (!state.has('[OUTPUT]')) return states();
	const output = `[OUTPUT] ${convertv2s(state.get('[OUTPUT]')!, true)} [/OUTPUT]`;
	state.delete('[OUTPUT]');
	return state.size > 0 ? states() + output : output;
}

/**
 * `experiments/construct_trace.py` `attach_trace_to_code(source_code, trace_log,
 * state_order_flag, ignore_intermediate_flag)`: `# [INPUT] … [/INPUT]` on the first traced line,
 * `[STATE-k] {…} [/STATE-k]` per execution of a line that changed variables (k the global order
 * of state changes), `[OUTPUT] … [/OUTPUT]` on the last line; with `ignoreIntermediate`, at most
 * 3 states per line, the middle elided.
 */
export function attachTraceToCode(
	source: string,
	log: string,
	stateOrder: boolean,
	ignoreIntermediate: boolean
): string {
	const { info, inputs, firstLine } = parseLog(log);
	return source
		.split('\n')
		.map((line, index) => {
			const i = index + 1;
			let modified = line;
			if (i === firstLine) modified += ` # [INPUT] ${convertv2s(inputs)} [/INPUT]`;
			const entries = info.get(i);
			if (entries) {
				const states: [number, Map<string, PyValue>][] = [];
				for (const [times, order, name, value] of entries) {
					if (states.length > times) states[times][1].set(name, value);
					else states.push([order, new Map([[name, value]])]);
				}
				if (states.length > 0) {
					modified += ' # ' + states.map(([o, s]) => stateText(o, s, stateOrder)).join('');
				}
			}
			return ignoreIntermediate ? conciseSpad(modified) : modified;
		})
		.join('\n');
}

/**
 * `experiments/build_self_refine_input.py` `attach_execution_exception`: `# [EXCEPTION] … [/EXCEPTION]`
 * on the line of each `exception` event of the log.
 */
export function attachExecutionException(program: string, log: string): string {
	const lines = program.split('\n');
	let current = -1;
	for (const raw of log.split('\n')) {
		const line = pyStrip(raw);
		const parts = line.split(/\s+/).filter(Boolean);
		if (parts.length < 3) continue;
		if (parts[1] === 'exception' && /^\d+$/.test(parts[2])) current = Number(parts[2]);
		const m = /^Exception:\.* (.*)/.exec(line);
		if (m && current !== -1) {
			// Python indexes from the end for -1 … and raises past either end.
			const at = current - 1 < 0 ? lines.length + current - 1 : current - 1;
			if (at < 0 || at >= lines.length) throw new Error('IndexError: list index out of range');
			lines[at] += ` # [EXCEPTION] ${m[1]} [/EXCEPTION]`;
		}
	}
	return lines.join('\n');
}

/**
 * A traced call in SemCoder's annotated form, as its `build_self_refine_input.py` builds one:
 * `attach_trace_to_code(..., state_order_flag=True, ignore_intermediate_flag=True)`, then
 * `attach_execution_exception`, on the pysnooper log of the `occurrence`-th call of `entry`.
 */
export function semcoderTrace(
	source: string,
	steps: readonly TraceStep[],
	entry: string,
	occurrence = 0
): string {
	const log = pysnooperLog(source, steps, entry, occurrence);
	return attachExecutionException(attachTraceToCode(source, log, true, true), log);
}

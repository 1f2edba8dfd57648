import type { Runtime } from '../runtime.ts';
import type { UniqueState } from './exec-diff.ts';
import { callOracle, type OracleOptions } from './python-oracle.ts';

// Mokav's prompts and test run, as the copy in CodeARC has them for function-level programs
// (Anjiang-Wei/CodeARC@092edee differential_testing/src_mokav/test_generator.py generate_test,
// code_runner.py; from ASSERT-KTH/Mokav src/). Meta-data config `BATIE`: both versions shown (BA),
// the example input and its output (I), execution feedback (E). `D` (an LLM-written description of
// each version, a second model call) is not offered.

/** The system message of Mokav's ChatGPT_2 (test_generator.py `default_instruction`). */
export const mokavSystem =
	"As a software testing expert, your task involves generating a test input that can distinguish between two versions of a program. These are versions 'original' and 'patched'.";

/** The test format the prompt asks for (`self.test_format`). */
export const mokavTestFormat = "{'inputdata': <inputdata>}";

/**
 * Time for one test run. code_runner.py allows `timeout=2` seconds for a subprocess; a run here also
 * carries the first imports of a fresh worker, so it gets the runtime's usual 10 seconds.
 */
export const mokavTimeoutMs = 10_000;

/** The unique states of both versions on one input (get_exec_diff), or null without `E`. */
export interface ExecFeedback {
	patched: UniqueState | null;
	original: UniqueState | null;
}

/** The `I`/`E` part of the first prompt: the example test, the variables, its identical output. */
export function exampleSection(test: string, output: string, exec: ExecFeedback | null): string {
	let text = `
Here is a sample test input for which both versions produce identical output:
\`\`\`python
${test}
\`\`\`
`;
	if (exec === null) return text;
	const { original: bug, patched: acc } = exec;
	if (bug !== null) {
		text += ` When the above test input is executed on version 'original', the variable '${bug[0]}' is assigned the value '${bug[1]}'. However, this variable never attains this value in version 'patched'.`;
		if (acc !== null)
			text += ` Similarly, during the execution of the same test input on version 'patched', the variable '${acc[0]}' is assigned the value '${acc[1]}', a value it never attains in version 'original'.`;
	} else if (acc !== null)
		text += `When the above test input is executed on version 'patched', the variable '${acc[0]}' is assigned the value '${acc[1]}'. However, this variable never attains this value in version 'original'.`;
	return text + `The identical output for this sample test input is: ${output}\n`;
}

/** The first prompt of config BA(I)(E), with `{original}`, `{patched}`, `{example_section}` to fill. */
export const mokavUserTemplate = `
The following code represents version 'original' of the program:
\`\`\`python
{original}
\`\`\`

The following code represents version 'patched' of the same program: 
\`\`\`python
{patched}
\`\`\`
{example_section}
Your task is to generate a new test input in Python dict format as follows:
\`\`\`python
${mokavTestFormat}
\`\`\`
This test input should be designed such that it exposes the differences between the two versions 'original' and 'patched'. In other words, when the test input is given to versions 'original' and 'patched', they should produce different outputs. This can be represented as:
\`\`\`python
original(inputdata) != patched(inputdata)
\`\`\`
Please note that your output should not contain any explanation or newline ('\\n') characters. If the function takes multiple inputs, input them all as a tuple to the 'inputdata' field. Create a 'difference exposing test' input as per the Python dict format above.
`;

/**
 * The follow-up prompt after an identical output (generate_test, `is_iteration`). `output` is the
 * patched version's output on the last test, or null when no test could be read from the reply (Mokav
 * then leaves the sentence out: its conditional expression covers both sentences).
 */
export function identicalOutputText(output: string | null, exec: ExecFeedback | null): string {
	let text = '';
	if (exec !== null) {
		const { original: bug, patched: acc } = exec;
		if (bug !== null) {
			text += `When the your generated test input is executed on version 'original', the variable '${bug[0]}' is assigned the value '${bug[1]}'. However, this variable never attains this value in version 'patched'.`;
			if (acc !== null)
				text += `\nSimilarly, during the execution of your generated test input on version 'patched', the variable '${acc[0]}' is assigned the value '${acc[1]}', a value it never attains in version 'original'.`;
		} else if (acc !== null)
			text += `When your generated test input is executed on version 'patched', the variable '${acc[0]}' is assigned the value '${acc[1]}'. However, this variable never attains this value in version 'original'.`;
		if (output !== null)
			text += `\nBoth versions produce an identical output for your generated test input. This identical output is ${output}.`;
	} else text = 'Both versions produce an identical output for your generated test input.';
	return text + ' The output should be different. Please generate another test input.';
}

/** One version's run on a test: its printed output, or the exception when it raised. */
export interface VersionRun {
	ok: boolean;
	output: string;
}

/** Both versions on one test input; `differ` is Mokav's AssertionError (a difference-exposing test). */
export type MokavCheck =
	| { parsed: false; problem: string }
	| {
			parsed: true;
			/** The test as Python prints the dict, e.g. `{'inputdata': (3, [1, 2])}`. */
			test: string;
			/** repr() of `inputdata`. */
			input: string;
			/** Whether the function takes several arguments (called with `*inputdata`). */
			star: boolean;
			original: VersionRun;
			patched: VersionRun;
			differ: boolean;
	  };

/** Reads a test from a reply (or takes an input literal) and runs both versions on it. */
export async function mokavCheck(
	runtime: Pick<Runtime, 'python'>,
	programs: { original: string; patched: string },
	test: { response: string } | { inputText: string },
	options: OracleOptions = {}
): Promise<MokavCheck> {
	const [call] = await callOracle<MokavCheck>(runtime, 'mokav_check', [{ ...programs, ...test }], {
		timeoutMs: options.timeoutMs ?? mokavTimeoutMs,
		signal: options.signal
	});
	if (call.ok) return call.value;
	return { parsed: false, problem: `the test run failed: ${call.message}` };
}

/** Tidies code from between tags: drops a markdown fence around it and blank edges, keeps indentation. */
export function cleanPythonCode(code: string): string {
	let text = code.replace(/^\s*\n/, '').replace(/\s+$/, '');
	const fenced = /^\s*```[a-zA-Z0-9_-]*\n([\s\S]*?)\n?```$/.exec(text);
	if (fenced) text = fenced[1];
	return text;
}

/** The program that checks an answer: setup, the answer, then every assert (as LeTI runs MBPP). */
export function testProgram(answer: string, tests: readonly string[], setup?: string): string {
	const sample = testSample(answer, tests, setup);
	return `${sample.code}\n${sample.tests}`;
}

/**
 * {@link testProgram} as a batch sample's two parts: the asserts as `tests`, which the worker
 * compiles once for all the answers to a task (pass@k), and setup + answer as `code`.
 */
export function testSample(
	answer: string,
	tests: readonly string[],
	setup?: string
): { code: string; tests: string } {
	return { code: `${setup ? `${setup}\n` : ''}${answer}`, tests: `${tests.join('\n')}\n` };
}

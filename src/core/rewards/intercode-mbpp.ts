import type { Runtime } from '../runtime.ts';

// InterCode's MBPP reward (princeton-nlp/intercode intercode/envs/python/python_env.py
// `get_reward`): the submitted function is aliased to the gold function's name, each test's
// *output* is compared with the gold's, and the reward is the fraction that agree.

/** The call in an `assert call == expected` test (the left side), or the whole test when not of that form. */
export function testCall(test: string): string {
	const body = test.replace(/^\s*assert\s+/, '');
	const i = body.indexOf('==');
	return (i >= 0 ? body.slice(0, i) : body).trim();
}

/** The name of the last top-level function a program defines. */
export function lastFunctionName(code: string): string | null {
	const names = [...code.matchAll(/^def\s+([A-Za-z_]\w*)\s*\(/gm)].map((m) => m[1]);
	return names.at(-1) ?? null;
}

/** Fraction of tests whose output under the candidate equals the output under the gold solution. */
export async function intercodeMbppReward(
	runtime: Runtime,
	candidate: string,
	gold: string,
	tests: readonly string[],
	options: { timeoutMs?: number; signal?: AbortSignal } = {}
): Promise<number> {
	const goldName = lastFunctionName(gold);
	const candName = lastFunctionName(candidate);
	if (!goldName || !candName || tests.length === 0) return 0;
	// Each program is the code, the alias and one call; given as code + tests, the worker compiles
	// the code once for all the calls and each call once for both programs.
	const program = (code: string, alias: string, call: string) => ({
		code: alias === goldName ? code : `${code}\n${goldName} = ${alias}`,
		tests: `print(repr(${call}))\n`
	});
	const samples = tests.flatMap((test, i) => [
		{ id: `gold-${i}`, ...program(gold, goldName, testCall(test)) },
		{ id: `cand-${i}`, ...program(candidate, candName, testCall(test)) }
	]);
	const results = await runtime.python.runMany(samples, options);
	const out = new Map(results.map((r) => [r.id, r.status === 'passed' ? r.stdout : null]));
	let equal = 0;
	tests.forEach((_, i) => {
		const g = out.get(`gold-${i}`);
		if (g !== null && g !== undefined && g === out.get(`cand-${i}`)) equal++;
	});
	return equal / tests.length;
}

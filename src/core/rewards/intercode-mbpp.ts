import type { Runtime } from '../runtime.ts';
import type { EvalSampleResult } from '../../../workers/protocol.ts';

// InterCode's MBPP reward (princeton-nlp/intercode intercode/envs/python/python_env.py
// `get_reward_mbpp`, with experiments/eval_n_turn.py choosing the submitted name): the gold's FIRST
// `def name(` is aliased to the submitted function, test_setup_code runs, then each test statement;
// the same tests run on the gold; the reward is the fraction of tests whose outcome is the same.

/** `re.search(r'def (\w+)\(', code).group(1)`: the first `def name(` anywhere (get_reward_mbpp's gold name). */
export function firstFunctionName(code: string): string | null {
	return /def (\w+)\(/.exec(code)?.[1] ?? null;
}

/**
 * The submitted name as eval_n_turn.py takes it: `re.match(r'def (\w+)\(', action)` at the start of
 * the action; for a program that does not start with `def`, its first `def name(`.
 */
export function submittedFunctionName(code: string): string | null {
	return /^def (\w+)\(/.exec(code)?.[1] ?? firstFunctionName(code);
}

/** What `conn.root.execute(test)` reported, as compared between the prediction and the gold. */
const outcome = (r: EvalSampleResult | undefined) =>
	r === undefined
		? null
		: JSON.stringify([r.status, r.stdout, r.error?.type ?? null, r.error?.message ?? null]);

/** Fraction of tests whose outcome under the candidate (aliased) equals the outcome under the gold. */
export async function intercodeMbppReward(
	runtime: Runtime,
	candidate: string,
	gold: string,
	tests: readonly string[],
	options: { testSetupCode?: string; timeoutMs?: number; signal?: AbortSignal } = {}
): Promise<number> {
	const goldName = firstFunctionName(gold);
	const candName = submittedFunctionName(candidate);
	// Python raises (AttributeError on None, ZeroDivisionError on no tests) and the episode scores 0.
	if (!goldName || !candName || tests.length === 0) return 0;
	const setup = options.testSetupCode ?? '';
	const predCode = `${candidate}\n${goldName} = ${candName}\n${setup}`;
	const goldCode = `${setup}\n${gold}`;
	const samples = tests.flatMap((test, i) => [
		{ id: `gold-${i}`, code: goldCode, tests: test },
		{ id: `cand-${i}`, code: predCode, tests: test }
	]);
	const results = await runtime.python.runMany(samples, {
		timeoutMs: options.timeoutMs,
		signal: options.signal
	});
	const byId = new Map(results.map((r) => [r.id, r]));
	let equal = 0;
	tests.forEach((_, i) => {
		const g = outcome(byId.get(`gold-${i}`));
		if (g !== null && g === outcome(byId.get(`cand-${i}`))) equal++;
	});
	return equal / tests.length;
}

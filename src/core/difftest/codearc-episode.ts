import {
	codearcMaxDebugRounds,
	codearcMaxInvocations,
	codearcMaxTries,
	codearcPrompts
} from './codearc.ts';

// The state of one CodeARC episode and the prompt it sends next, as
// src/invocators.py::ReasoningGuidedInvocator.__call__ picks and fills it (the `.replace` chains
// in their order; a placeholder a chain does not replace stays in the text, as it does there).

/** Which prompts.yaml text comes next and with what. */
export class CodearcEpisode {
	readonly functionName: string;
	/** The given invocations, then every one the agent asked for (the oracle's inputs, in order). */
	readonly invocations: string[];
	invocationsLeft: number;
	debugsLeft = codearcMaxDebugRounds;
	lastAction: 'INVOCATIONS' | 'IMPLEMENTATION' | null = null;
	/** Outputs of the last batch of invocations. */
	lastOutputs: string[] = [];
	/** The last counterexample text. */
	failedInputs = '';
	/** Unusable samples in the current iteration. */
	tries = 0;
	/** The final prompt has been sent: the next reply is the final implementation. */
	final = false;
	/** The episode ended with INVALID_ACTION (no usable reply in `max_tries` samples). */
	invalidEnd = false;
	oracleCalls = 0;

	constructor(functionName: string, given: string[]) {
		this.functionName = functionName;
		this.invocations = [...given];
		this.invocationsLeft = codearcMaxInvocations - given.length;
	}

	/** Whether the loop of iterations goes on (`while num_debugs_left > 0 or num_invocations_left > 0`). */
	get looping(): boolean {
		return this.debugsLeft > 0 || this.invocationsLeft > 0;
	}

	/** The first prompt (`reasoning_guided.base`), as a template with `{placeholders}` for the preset. */
	static baseTemplate(): string {
		return codearcPrompts.base
			.replaceAll('[FUNCTION_NAME]', '{function_name}')
			.replaceAll('[INPUT_INVOCATIONS]', '{input_invocations}')
			.replaceAll('[OUTPUT_INVOCATIONS]', '{output_invocations}')
			.replaceAll('[MAX_INVOCATIONS]', '{max_invocations}')
			.replaceAll('[MAX_CHECKS]', '{max_checks}');
	}

	/** Records a batch of invocations and their outputs; returns the next prompt. */
	afterInvocations(invocations: string[], outputs: string[]): string {
		this.invocations.push(...invocations);
		this.invocationsLeft -= invocations.length;
		this.lastAction = 'INVOCATIONS';
		this.lastOutputs = outputs;
		this.tries = 0;
		return this.nextPrompt();
	}

	/** Records a failed check during the loop (one debugging check spent); returns the next prompt. */
	afterFailedCheck(failedInputs: string): string {
		this.debugsLeft -= 1;
		this.lastAction = 'IMPLEMENTATION';
		this.failedInputs = failedInputs;
		this.tries = 0;
		return this.nextPrompt();
	}

	/** The iteration prompt while budgets remain, else the final prompt (and the episode is final). */
	nextPrompt(): string {
		const fill = (key: string, withText: [string, string]) =>
			codearcPrompts[key]
				.replaceAll(withText[0], withText[1])
				.replaceAll('[MAX_INVOCATIONS]', String(this.invocationsLeft))
				.replaceAll('[MAX_CHECKS]', String(this.debugsLeft))
				.replaceAll('[FUNCTION_NAME]', this.functionName);
		const impl = this.lastAction === 'IMPLEMENTATION';
		const text: [string, string] = impl
			? ['[FAILED_INPUTS]', this.failedInputs]
			: ['[OUTPUT_INVOCATIONS]', this.lastOutputs.join('\n')];
		const name = impl
			? 'generated_draft_implementation_previous_iteration'
			: 'generated_invocations_previous_iteration';
		if (!this.looping) {
			this.final = true;
			return fill(`final.${name}`, text);
		}
		if (this.invocationsLeft === 0) return fill(`iteration.${name}_no_invocations`, text);
		if (this.debugsLeft === 0) return fill(`iteration.${name}_no_debugging`, text);
		return fill(`iteration.${name}`, text);
	}

	/** Counts an unusable sample; true when it was the last try (the episode ends: INVALID_ACTION). */
	unusable(): boolean {
		this.tries += 1;
		if (this.tries >= codearcMaxTries) this.invalidEnd = true;
		return this.invalidEnd;
	}
}

import { StopParser } from '../agent/stream-parser.ts';
import type { ActionKind, RenderedPrompt } from '../trace/events.ts';
import type { PresetContext, PresetRun, StepResult } from '../presets/types.ts';
import { execDiff } from './exec-diff.ts';
import { identicalOutputText, mokavCheck, type ExecFeedback } from './mokav.ts';
import type { MokavSpec } from './task.ts';

// One Mokav episode driven by the loop: every reply is a test to try (read whole, as Mokav parses a
// sample); the run ends when the versions differ on it, else the "identical output" feedback goes back.

/** A Mokav episode as a preset run. */
export class MokavRun implements PresetRun {
	prompt: RenderedPrompt = { system: '', user: '', completion: '' };
	readonly executeOnLastTurn = true;
	readonly programs: { original: string; patched: string };
	readonly #ctx: PresetContext;
	readonly #useExec: boolean;
	#tries = 0;

	constructor(ctx: PresetContext, spec: MokavSpec) {
		this.#ctx = ctx;
		this.programs = { original: spec.original, patched: spec.patched };
		this.#useExec = spec.executionFeedback ?? true;
	}

	/** Mokav's execution feedback on an input (`E`), or null when the task turned it off. */
	feedbackOn(input: string, star: boolean, signal?: AbortSignal): Promise<ExecFeedback | null> {
		if (!this.#useExec) return Promise.resolve(null);
		const session = `${this.#ctx.session}-mokav-trace`;
		return execDiff(this.#ctx.runtime, this.programs, input, star, {
			session,
			timeoutMs: this.#ctx.execTimeoutMs,
			signal
		});
	}

	stop(): string[] {
		return [];
	}

	parser() {
		return new StopParser([], (text) => ({
			type: 'action',
			kind: 'python',
			code: text.trim(),
			raw: text
		}));
	}

	async act(
		action: { kind: ActionKind; code: string },
		_turn: number,
		signal: AbortSignal
	): Promise<StepResult> {
		this.#tries += 1;
		const t0 = performance.now();
		const run = await mokavCheck(
			this.#ctx.runtime,
			this.programs,
			{ response: action.code },
			{ signal }
		);
		if (!run.parsed) return this.#unreadable(run.problem, performance.now() - t0);
		const summary = {
			test: run.test,
			input: run.input,
			originalOutput: run.original.output,
			patchedOutput: run.patched.output,
			differ: run.differ
		};
		if (run.differ)
			return {
				observation: {
					status: 'ok',
					text: `Difference-exposing test found: ${run.test}\noriginal: ${run.original.output}\npatched: ${run.patched.output}`,
					truncated: false,
					result: summary,
					durationMs: performance.now() - t0
				},
				reward: { value: 1, components: { found: true, tries: this.#tries, ...summary } },
				done: true
			};
		const exec = await this.feedbackOn(run.input, run.star, signal);
		return {
			observation: {
				status: 'ok',
				text: identicalOutputText(run.patched.output, exec),
				truncated: false,
				result: { ...summary, ...(exec ? { execFeedback: exec } : {}) },
				durationMs: performance.now() - t0
			}
		};
	}

	async invalid(): Promise<StepResult> {
		// Every reply is an action; this is only reached by a turn the loop could not read at all.
		return this.#unreadable('empty reply', 0);
	}

	async answer() {
		return { reward: null };
	}

	async atTurnLimit() {
		return { result: { reward: { value: 0, components: { found: false, tries: this.#tries } } } };
	}

	/** A reply with no readable test: Mokav's empty data_list, so neither output nor variables. */
	#unreadable(problem: string, durationMs: number): StepResult {
		const noExec = this.#useExec ? { patched: null, original: null } : null;
		return {
			observation: {
				status: 'invalid',
				text: identicalOutputText(null, noExec),
				truncated: false,
				result: { parsed: false, problem },
				durationMs
			}
		};
	}
}

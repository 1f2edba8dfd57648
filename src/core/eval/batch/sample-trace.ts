// A model-sourced batch sample as an ExecLab trace (schema v2, as the Agent tab and History keep
// them): the request the batch sent, the model's reply, the answer cut from it, and the verdict as
// the final reward. One call, one turn; its preset id is `eval-` + the batch preset, which no agent
// preset has, so the Agent tab shows such a trace as recorded rather than replaying it.
import { birdTask } from '../../datasets/bird.ts';
import { humanEvalTask } from '../../datasets/humaneval.ts';
import { mbppTask } from '../../datasets/mbpp.ts';
import { spiderTask } from '../../datasets/spider.ts';
import type { AgentEvent, AgentTask, TraceHeader } from '../../trace/events.ts';
import type { SampleVerdict, TaskPack } from '../pack.ts';
import type { BatchAsk } from './generate.ts';
import { taskIdsOf } from './plan.ts';
import { sampleTraceId, sampleTracePreset } from './sample-trace-id.ts';
import { isGoldError } from './score.ts';
import type { BatchJob, BatchSource, SampleCall } from './types.ts';

/** What one sample's trace is built from. */
export interface SampleTraceInput {
	runId: string;
	pack: TaskPack;
	source: Extract<BatchSource, { kind: 'model' }>;
	/** The request of the sample's task (generate.ts `batchAsks`). */
	ask: BatchAsk;
	/** The sample's task as an agent task (see {@link sampleTasks}). */
	task: AgentTask;
	job: BatchJob;
	answer: string;
	call: SampleCall;
	verdict: SampleVerdict;
	/** Engine versions of the pool that scored it. */
	engines: Record<string, string>;
}

/** A finished sample trace, ready for the history store. */
export interface SampleTrace {
	id: string;
	title: string;
	/** Start event first, as the history store keeps a run. */
	events: AgentEvent[];
	/** The trace's v2 `parameters`: where the sample belongs (eval run, pack, task, index). */
	parameters: Record<string, unknown>;
	databases: { name: string; sha256: string | null }[];
}

/** Each task of a pack as an agent task (the Agent tab's dataset import), by the id the batch gives it. */
export function sampleTasks(pack: TaskPack): Map<string, AgentTask> {
	const ids = taskIdsOf(pack);
	const tasks: AgentTask[] =
		pack.format === 'humaneval'
			? pack.problems.map(humanEvalTask)
			: pack.format === 'mbpp'
				? pack.tasks.map(mbppTask)
				: pack.format === 'spider'
					? pack.items.map(spiderTask)
					: pack.items.map(birdTask);
	return new Map(tasks.map((task, i) => [ids[i], { ...task, id: ids[i] }]));
}

/** The trace of one scored model sample. */
export function sampleTrace(input: SampleTraceInput): SampleTrace {
	const { runId, pack, source, ask, job, call, verdict } = input;
	const t = call.ms;
	const events: AgentEvent[] = [
		{ type: 'start', t: 0, header: headerOf(input) },
		{
			...{ type: 'call', t: 0, call: 1, turn: 1, stop: ask.stop ?? [] },
			...(ask.mode === 'chat' ? { messages: 1 } : {})
		},
		{ type: 'text', t, call: 1, text: call.reply },
		{
			...{ type: 'call-end', t, call: 1, finishReason: call.finishReason, cut: false },
			...(call.usage ? { usage: call.usage } : {})
		},
		{ type: 'answer', t, turn: 1, kind: job.kind, code: input.answer, raw: call.reply },
		{
			type: 'reward',
			t,
			// A question whose gold query fails is not scored (EX leaves it out): no reward.
			value: isGoldError(verdict) ? null : verdict.passed ? 1 : 0,
			components: rewardComponents(job, verdict),
			final: true
		},
		{ type: 'stop', t, reason: 'answer' }
	];
	return {
		id: sampleTraceId(runId, verdict.taskId, verdict.index),
		title: `${pack.title} · ${verdict.taskId} · sample ${verdict.index}`,
		events,
		parameters: {
			evalRun: runId,
			pack: { id: pack.id, title: pack.title, format: pack.format },
			taskId: verdict.taskId,
			sample: verdict.index,
			batchPreset: source.preset,
			n: source.n
		},
		databases: job.kind === 'sql' ? [{ name: job.predDbId ?? job.dbId, sha256: null }] : []
	};
}

function headerOf(input: SampleTraceInput): TraceHeader {
	const { source, ask, call, job } = input;
	const sampling = source.sampling ?? {};
	return {
		presetId: sampleTracePreset(source.preset),
		mode: ask.mode,
		// The batch presets have no editable template: the prompt is built whole from the task.
		template: { system: '', user: '{prompt}' },
		prompt: { system: '', user: ask.text, completion: ask.text },
		provider: { kind: source.provider.kind, model: source.provider.model ?? '' },
		sampling: {
			...(sampling.temperature !== undefined ? { temperature: sampling.temperature } : {}),
			...(sampling.maxTokens !== undefined ? { maxTokens: sampling.maxTokens } : {})
		},
		task: input.task,
		budgets: { maxTurns: 1, execTimeoutMs: job.timeoutMs },
		engines: input.engines,
		startedAt: new Date(call.at).toISOString()
	};
}

// The verdict as the evaluator gave it: its own result text, runtime and the metric that judged it.
function rewardComponents(job: BatchJob, verdict: SampleVerdict): Record<string, unknown> {
	return {
		metric: job.metric,
		passed: verdict.passed,
		result: verdict.result,
		durationMs: verdict.durationMs,
		...(verdict.nearLimit ? { nearLimit: true } : {}),
		...(verdict.group ? { group: verdict.group } : {})
	};
}

import type { Trace } from '../trace/trace.ts';

/** InterCode's trajectory log (`save_trajectory` in princeton-nlp/intercode's envs/ic_env.py). */
export interface IntercodeTrajectory {
	environment: string;
	query_idx: number | string;
	query: string;
	gold: string;
	reward: number | null;
	trajectory: { action: string; observation: string }[];
	info: Record<string, unknown>;
}

/** Converts a trace to InterCode's trajectory JSON: every action (and the submit) with its observation. */
export function toIntercodeTrajectory(
	trace: Trace,
	index: number | string = 0
): IntercodeTrajectory {
	const task = trace.header.task;
	const sql = 'question' in task;
	const steps: { action: string; observation: string }[] = [];
	let reward: number | null = null;
	for (const e of trace.events) {
		if (e.type === 'action') steps.push({ action: e.code, observation: '' });
		else if (e.type === 'observation' && steps.length) steps[steps.length - 1].observation = e.text;
		else if (e.type === 'answer') steps.push({ action: 'submit', observation: '' });
		else if (e.type === 'reward' && e.final) reward = e.value;
	}
	return {
		environment: sql ? 'ic_sql' : 'ic_python',
		query_idx: index,
		query: sql ? task.question : task.description,
		gold: task.gold ?? '',
		reward,
		trajectory: steps,
		info: { preset: trace.header.presetId, model: trace.header.provider.model }
	};
}

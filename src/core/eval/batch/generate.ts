// Answers from a model for a batch run's `model` source: `n` samples per task, asked as the
// preset says, cut as the benchmarks' own harnesses cut them. Presets of a batch run:
//   completion — Python packs: the raw prompt continued (HumanEval: the problem's prompt, truncated
//     at the Codex paper's stop sequences, as human-eval's samples are made; MBPP: LeTI's prompt);
//   chat — any pack: one chat message asking for the answer in a fenced block, the first block
//     (or the whole reply when there is none) taken as the answer.
import type { Provider } from '../../providers/types.ts';
import { letiMbppPrompt } from '../mbpp.ts';
import type { TaskPack } from '../pack.ts';
import { mbppTaskOf, taskIdsOf, type TaskAnswer } from './plan.ts';
import type { BatchSampling, SampleCall } from './types.ts';

/** The presets a batch run's model source can name. */
export const batchPresets = ['completion', 'chat'] as const;

/** Codex paper §3.3 / human-eval: completions are cut at these. */
export const humanEvalStops = ['\nclass', '\ndef', '\n#', '\nif', '\nprint'];

// After LeTI's docstring prompt the function comes first: cut where the tests or a new prompt start.
const mbppStops = ['\n"""', '\nassert', '\nif __name__', '\nprint('];

/** What generating needs. */
export interface GenerateRequest {
	provider: Provider;
	preset: string;
	n: number;
	sampling?: BatchSampling;
	signal?: AbortSignal;
	/** Awaited before each model call (a paused run's gate). */
	gate?: () => Promise<void>;
	/** Calls in flight at once (default 4). */
	concurrency?: number;
	onProgress?: (done: number, total: number) => void;
}

/** A generated answer and the model call it was cut from. */
export interface GeneratedAnswer extends TaskAnswer {
	call: SampleCall;
}

/** One model request for one task. */
export interface BatchAsk {
	taskId: string;
	mode: 'chat' | 'completion';
	text: string;
	stop?: string[];
	/** From the reply to the answer. */
	cut(reply: string): string;
}

/** `n` answers per task, task by task in pack order (sample i of a task is its index i). */
export async function generateAnswers(
	pack: TaskPack,
	request: GenerateRequest
): Promise<GeneratedAnswer[]> {
	const asks = batchAsks(pack, request.preset);
	const jobs = asks.flatMap((ask) => Array.from({ length: request.n }, () => ask));
	const answers: GeneratedAnswer[] = new Array(jobs.length);
	let next = 0;
	let done = 0;
	const worker = async () => {
		for (let i = next++; i < jobs.length; i = next++) {
			await request.gate?.();
			request.signal?.throwIfAborted();
			const ask = jobs[i];
			const call = await complete(request, ask);
			answers[i] = { taskId: ask.taskId, answer: ask.cut(call.reply), call };
			request.onProgress?.(++done, jobs.length);
		}
	};
	const lanes = Math.max(1, Math.min(request.concurrency ?? 4, jobs.length));
	await Promise.all(Array.from({ length: lanes }, worker));
	return answers;
}

// The reply and what the stream said about it; kept for the sample's trace.
async function complete(request: GenerateRequest, ask: BatchAsk): Promise<SampleCall> {
	const { sampling } = request;
	const at = Date.now();
	const started = performance.now();
	const stream = request.provider.generate({
		mode: ask.mode,
		...(ask.mode === 'chat'
			? { messages: [{ role: 'user' as const, content: ask.text }] }
			: { prompt: ask.text }),
		...(ask.stop ? { stop: ask.stop } : {}),
		...(sampling?.temperature !== undefined ? { temperature: sampling.temperature } : {}),
		...(sampling?.maxTokens !== undefined ? { maxTokens: sampling.maxTokens } : {}),
		signal: request.signal
	});
	let reply = '';
	let finishReason = 'stop';
	let usage: SampleCall['usage'];
	for await (const chunk of stream) {
		if (chunk.type === 'text') reply += chunk.text;
		else if (chunk.type === 'done') ({ finishReason, usage } = chunk);
	}
	const ms = Math.round((performance.now() - started) * 1000) / 1000;
	return { at, ms, reply, finishReason, ...(usage ? { usage } : {}) };
}

/** Cuts a completion at the first stop sequence (servers may ignore `stop`, or honour only four). */
export function cutAtStops(text: string, stops: readonly string[]): string {
	let end = text.length;
	for (const stop of stops) {
		const at = text.indexOf(stop);
		if (at >= 0 && at < end) end = at;
	}
	return text.slice(0, end);
}

/** The first fenced code block of a reply (any language tag), or the whole reply without one. */
export function firstFencedBlock(reply: string): string {
	const match = /```[^\n`]*\n([\s\S]*?)```/.exec(reply);
	return match ? match[1] : reply;
}

/** The request of each task of a pack under a batch preset, in pack order (pure: a trace rebuilds it). */
export function batchAsks(pack: TaskPack, preset: string): BatchAsk[] {
	if (!(batchPresets as readonly string[]).includes(preset)) {
		throw new TypeError(
			`source.preset: expected one of ${batchPresets.join(', ')}, got ${JSON.stringify(preset)}`
		);
	}
	const ids = taskIdsOf(pack);
	const chat = (taskId: string, text: string): BatchAsk => ({
		taskId,
		mode: 'chat',
		text,
		cut: firstFencedBlock
	});
	switch (pack.format) {
		case 'humaneval':
			return pack.problems.map((p) =>
				preset === 'completion'
					? {
							taskId: p.task_id,
							mode: 'completion',
							text: p.prompt,
							stop: humanEvalStops,
							cut: (r) => cutAtStops(r, humanEvalStops)
						}
					: chat(
							p.task_id,
							`Complete this Python function. Reply with the whole function in one \`\`\`python code block.\n\n${p.prompt}`
						)
			);
		case 'mbpp':
			return pack.tasks.map((item, i) => {
				const task = mbppTaskOf(item);
				return preset === 'completion'
					? {
							taskId: ids[i],
							mode: 'completion',
							text: letiMbppPrompt(task),
							stop: mbppStops,
							cut: (r) => cutAtStops(r, mbppStops)
						}
					: chat(
							ids[i],
							`${task.text ?? ''}\nYour code should pass this test:\n${task.test_list[0] ?? ''}\nReply with the Python code in one \`\`\`python code block.`
						);
			});
		case 'spider':
		case 'bird': {
			if (preset === 'completion')
				throw new TypeError('source.preset: SQL packs take the chat preset');
			const items: { db_id: string; question: string; evidence?: string }[] = pack.items;
			return items.map((item, i) =>
				chat(ids[i], sqlPrompt(pack, item.db_id, item.question, item.evidence ?? ''))
			);
		}
	}
}

function sqlPrompt(pack: TaskPack, dbId: string, question: string, evidence: string): string {
	const tables = pack.format === 'spider' ? pack.tables.find((t) => t.db_id === dbId) : undefined;
	const schema = tables
		? tables.table_names_original
				.map((name, t) => {
					const columns = tables.column_names_original
						.filter(([owner]) => owner === t)
						.map(([, c]) => c);
					return `${name}(${columns.join(', ')})`;
				})
				.join('\n')
		: `(database ${dbId})`;
	const hint = evidence ? `\nHint: ${evidence}` : '';
	return `SQLite database schema:\n${schema}\n\nQuestion: ${question}${hint}\nReply with one SQLite query in one \`\`\`sql code block.`;
}

// Planning a batch run: one job per (task, sample index), in the order the answers were given,
// each program or query built exactly as the metric functions build it (humaneval.ts, mbpp.ts,
// spider-ex.ts, bird-ex.ts). Pure: the same pack and source always give the same plan.
import type { EvalSample } from '../../../../workers/protocol.ts';
import type { SanitizedMbppItem, MbppItem } from '../../datasets/mbpp.ts';
import { humanEvalSample, humanEvalTimeoutMs } from '../humaneval.ts';
import { letiTimeoutMs, mbppSample, type MbppTask } from '../mbpp.ts';
import type { TaskPack } from '../pack.ts';
import {
	PredictionFileError,
	readBirdPredictions,
	readHumanEvalSamples,
	readMbppPredictions,
	readSpiderPredictions
} from '../prediction-files.ts';
import { birdTimeoutMs } from '../bird-ex.ts';
import { spiderTimeoutMs } from '../spider-ex.ts';
import { spiderHardness, type SpiderSql } from '../spider-hardness.ts';
import type { BatchBudgets, BatchJob, BatchPlan, BatchSource, PythonJob, SqlJob } from './types.ts';

/** A source that cannot be planned against a pack: names the record, the field and the problem. */
export class BatchPlanError extends Error {
	override name = 'BatchPlanError';
}

/** One answer to a task, before it becomes a job. */
export interface TaskAnswer {
	taskId: string;
	answer: string;
	/** For BIRD predictions: the database the prediction names. */
	db?: string;
}

/**
 * The jobs of a run. `model` sources are planned from their generated answers
 * ({@link planAnswers}); here they have none yet and are refused.
 */
export function planBatch(
	pack: TaskPack,
	source: BatchSource,
	budgets: BatchBudgets = {}
): BatchPlan {
	if (source.kind === 'model') {
		throw new BatchPlanError(
			'source: kind: model answers are generated first, then planned with planAnswers'
		);
	}
	const answers =
		source.kind === 'reference' ? referenceAnswers(pack) : predictionAnswers(pack, source.text);
	return planAnswers(pack, answers, budgets);
}

/** The jobs for answers in the given order; the sample index counts the answers per task. */
export function planAnswers(
	pack: TaskPack,
	answers: readonly TaskAnswer[],
	budgets: BatchBudgets = {}
): BatchPlan {
	const counts = new Map<string, number>();
	const build = jobBuilder(pack, budgets);
	const jobs = answers.map((a, order) => {
		const index = counts.get(a.taskId) ?? 0;
		counts.set(a.taskId, index + 1);
		return build(a, order, index);
	});
	return { format: pack.format, jobs, taskIds: taskIdsOf(pack) };
}

/** Each task's id as results name it (HumanEval task_id, MBPP task_id, Spider index, BIRD question_id). */
export function taskIdsOf(pack: TaskPack): string[] {
	switch (pack.format) {
		case 'humaneval':
			return pack.problems.map((p) => p.task_id);
		case 'mbpp':
			return pack.tasks.map((t) => String(t.task_id));
		case 'spider':
			return pack.items.map((_, i) => String(i));
		case 'bird':
			return pack.items.map((item, i) => String(item.question_id ?? i));
	}
}

/** The pack's reference answers: canonical_solution, MBPP's `code`, the gold SQL. */
export function referenceAnswers(pack: TaskPack): TaskAnswer[] {
	switch (pack.format) {
		case 'humaneval':
			return pack.problems.map((p) => ({ taskId: p.task_id, answer: p.canonical_solution }));
		case 'mbpp':
			return pack.tasks.map((t) => ({ taskId: String(t.task_id), answer: t.code }));
		case 'spider':
			return pack.items.map((item, i) => ({ taskId: String(i), answer: item.query }));
		case 'bird':
			return pack.items.map((item, i) => ({
				taskId: String(item.question_id ?? i),
				answer: item.SQL,
				db: item.db_id
			}));
	}
}

/** A predictions file read as the benchmark's own evaluator reads it, checked against the pack. */
export function predictionAnswers(pack: TaskPack, text: string): TaskAnswer[] {
	const known = new Set(taskIdsOf(pack));
	switch (pack.format) {
		case 'humaneval':
			return readHumanEvalSamples(text).map((s) => {
				// evaluation.py indexes problems[task_id]: an unknown id stops the official run.
				if (!known.has(s.task_id)) throw unknownTask(`line ${s.line}`, s.task_id);
				return { taskId: s.task_id, answer: s.completion };
			});
		case 'mbpp':
			return readMbppPredictions(text).map((p) => {
				if (!known.has(String(p.task_id))) throw unknownTask(`line ${p.line}`, String(p.task_id));
				return { taskId: String(p.task_id), answer: p.completion };
			});
		case 'spider': {
			const preds = readSpiderPredictions(text);
			if (preds.length !== pack.items.length) throw countMismatch(preds.length, pack.items.length);
			return preds.map((answer, i) => ({ taskId: String(i), answer }));
		}
		case 'bird': {
			const preds = readBirdPredictions(text);
			if (preds.length !== pack.items.length) throw countMismatch(preds.length, pack.items.length);
			// package_sqls keeps the values in file order: the n-th value answers question n.
			return preds.map((p, i) => ({
				taskId: String(pack.items[i].question_id ?? i),
				answer: p.sql,
				db: p.db
			}));
		}
	}
}

function unknownTask(record: string, id: string): PredictionFileError {
	return new PredictionFileError(
		record,
		'task_id',
		`${JSON.stringify(id)} is not a task of this pack`
	);
}

function countMismatch(found: number, expected: number): PredictionFileError {
	return new PredictionFileError(
		'predictions',
		'',
		`${found} predictions for ${expected} questions (the official evaluator pairs them by position)`
	);
}

type JobBuilder = (answer: TaskAnswer, order: number, index: number) => BatchJob;

function jobBuilder(pack: TaskPack, budgets: BatchBudgets): JobBuilder {
	switch (pack.format) {
		case 'humaneval': {
			const byId = new Map(pack.problems.map((p) => [p.task_id, p]));
			const timeoutMs = budgets.timeoutMs ?? humanEvalTimeoutMs;
			return (a, order, index) => {
				const problem = byId.get(a.taskId);
				if (!problem) throw unknownTask(`answer ${order}`, a.taskId);
				const sample = humanEvalSample(`${order}`, problem, a.answer);
				return pythonJob('humaneval', a, order, index, sample, timeoutMs);
			};
		}
		case 'mbpp': {
			const byId = new Map(pack.tasks.map((t) => [String(t.task_id), mbppTaskOf(t)]));
			const timeoutMs = budgets.timeoutMs ?? letiTimeoutMs;
			return (a, order, index) => {
				const task = byId.get(a.taskId);
				if (!task) throw unknownTask(`answer ${order}`, a.taskId);
				const sample = mbppSample(`${order}`, task, a.answer, timeoutMs);
				return pythonJob('mbpp', a, order, index, sample, timeoutMs);
			};
		}
		case 'spider': {
			const timeoutMs = budgets.timeoutMs ?? spiderTimeoutMs;
			return (a, order, index): SqlJob => {
				const item = pack.items[Number(a.taskId)];
				return {
					kind: 'sql',
					metric: 'spider-ex',
					order,
					index,
					taskId: a.taskId,
					dbId: item.db_id,
					pred: a.answer,
					gold: item.query.trim(),
					timeoutMs,
					...groupOf(spiderGroup(item.sql))
				};
			};
		}
		case 'bird': {
			const byId = new Map(pack.items.map((item, i) => [String(item.question_id ?? i), item]));
			const timeoutMs = budgets.timeoutMs ?? birdTimeoutMs;
			return (a, order, index): SqlJob => {
				const item = byId.get(a.taskId);
				if (!item) throw unknownTask(`answer ${order}`, a.taskId);
				return {
					kind: 'sql',
					metric: 'bird-ex',
					order,
					index,
					taskId: a.taskId,
					dbId: item.db_id,
					predDbId: a.db ?? item.db_id,
					pred: a.answer,
					gold: item.SQL,
					timeoutMs,
					...groupOf(item.difficulty)
				};
			};
		}
	}
}

function pythonJob(
	metric: PythonJob['metric'],
	a: TaskAnswer,
	order: number,
	index: number,
	sample: EvalSample,
	timeoutMs: number
): PythonJob {
	const { code, tests = '', guard } = sample;
	const job: PythonJob = {
		kind: 'python',
		metric,
		order,
		index,
		taskId: a.taskId,
		code,
		tests,
		timeoutMs
	};
	if (guard) job.guard = guard;
	return job;
}

/** An MBPP item (original or sanitized) as the metric's task: sanitized test_imports run as setup. */
export function mbppTaskOf(item: MbppItem | SanitizedMbppItem): MbppTask {
	if ('text' in item) return item;
	return {
		task_id: item.task_id,
		text: item.prompt,
		code: item.code,
		test_list: item.test_list,
		test_setup_code: item.test_imports.join('\n')
	};
}

function groupOf(group: string | undefined): { group?: string } {
	return group ? { group } : {};
}

// The hardness of a dev.json `sql` tree; packs without the tree (or a malformed one) have none.
function spiderGroup(sql: unknown): string | undefined {
	if (!sql || typeof sql !== 'object') return undefined;
	try {
		return spiderHardness(sql as SpiderSql);
	} catch {
		return undefined;
	}
}

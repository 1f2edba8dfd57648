import { z } from 'zod';
import type { ScoreRuntime } from '../core/eval/packs/score-one.ts';
import type { Runtime } from '../core/runtime.ts';
import { envelopeShape } from './contract.ts';
import type { EmbedRegistry } from './registry.ts';

// The embed `score` request (issue 14 §5): one answer scored by one official metric, without a
// pack. SQL metrics run on a database loaded with `load-db` or a bundled sample; Python ones on
// the page's Python worker (runMany: a fresh namespace, the metric's own time limit).

const text = z.string().max(10_000_000);
const dbName = z.string().min(1).max(200);
const envelope = { ...envelopeShape, type: z.literal('score') };

const sqlScore = (metric: 'spider-ex' | 'bird-ex') =>
	z.strictObject({ ...envelope, metric: z.literal(metric), db: dbName, gold: text, pred: text });

/** `score`, told apart by `metric`: SQL (`db`, `gold`, `pred`) or Python (`problem` / `task`, `completion`). */
export const scoreSchema = z.discriminatedUnion('metric', [
	sqlScore('spider-ex'),
	sqlScore('bird-ex'),
	z.strictObject({
		...envelope,
		metric: z.literal('humaneval'),
		problem: z.strictObject({
			task_id: z.string(),
			prompt: text,
			test: text,
			entry_point: z.string().min(1),
			// Allowed so a HumanEval.jsonl record can be sent as it is; never run.
			canonical_solution: text.optional()
		}),
		completion: text
	}),
	z.strictObject({
		...envelope,
		metric: z.literal('mbpp'),
		task: z.strictObject({
			task_id: z.union([z.string(), z.number()]),
			text: text.optional(),
			code: text.optional(),
			test_list: z.array(text).min(1),
			test_setup_code: text.optional(),
			challenge_test_list: z.array(text).optional()
		}),
		completion: text
	})
]);

/** A validated `score` request. */
export type ScoreRequest = z.infer<typeof scoreSchema>;

/** The name a bundled sample is opened under for scoring, apart from the app's own copy. */
export const scoreSampleName = (sample: string): string => `score:${sample}`;

/**
 * The database a SQL score runs on: one the host loaded (or the app has open) by that name, else
 * the bundled sample of that name, opened once under {@link scoreSampleName}.
 */
async function resolveDb(
	runtime: Runtime,
	db: string,
	opening: Map<string, Promise<unknown>>
): Promise<string> {
	if (runtime.sql.list().includes(db)) return db;
	const alias = scoreSampleName(db);
	if (runtime.sql.list().includes(alias)) return alias;
	const samples = await runtime.sql.samples().catch(() => []);
	if (samples.some((s) => s.name === db)) {
		// Requests sent together share one opening of the sample.
		let open = opening.get(alias);
		if (!open) {
			open = runtime.sql.openSample(db, alias).finally(() => opening.delete(alias));
			opening.set(alias, open);
		}
		await open;
		return alias;
	}
	const known = samples.map((s) => s.name).join(', ');
	throw Object.assign(
		new Error(
			`db: "${db}" is neither loaded with load-db nor a bundled sample${known ? ` (${known})` : ''}`
		),
		{ name: 'UnknownDatabase' }
	);
}

/** Registers `score` against the runtimes; the metrics load on the first request. */
export function registerScoreHandler(registry: EmbedRegistry, runtime: Runtime): void {
	const opening = new Map<string, Promise<unknown>>();
	// Requests sent together score together: their queries reach the SQL worker as batches.
	let scoring: ScoreRuntime | null = null;
	registry.register('score', {
		schema: scoreSchema,
		async handle(request: ScoreRequest, context) {
			const [{ scoreOne }, { batchedExec }] = await Promise.all([
				import('../core/eval/packs/score-one.ts'),
				import('../core/eval/batched-exec.ts')
			]);
			scoring ??= { python: runtime.python, sql: batchedExec(runtime.sql) };
			const input =
				request.metric === 'spider-ex' || request.metric === 'bird-ex'
					? { ...request, db: await resolveDb(runtime, request.db, opening) }
					: request;
			const { score, detail } = await scoreOne(scoring, input, context.signal);
			return { ok: true, score, detail };
		}
	});
}

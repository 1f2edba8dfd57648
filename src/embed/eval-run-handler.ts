// `eval-run` (issue 14 §5): scores a pack's answers (imported predictions, the references, or a
// model's samples) on a pool of workers; progress events `{type: 'progress', done, total}` while
// it runs, then `{ok, metrics, samples}` with samples in the order the predictions were given.
// Cancelled through the request's signal (a `stop` with the same id, or the page going away).
// The pack readers, the pool and the metrics load on the first request; the pool's workers are
// kept for a minute after a run, for the next.
import { z } from 'zod';
import { batchPresets } from '../core/eval/batch/generate.ts';
import { agentProviderSchema } from './agent-contract.ts';
import { envelopeShape } from './contract.ts';
import type { Provider } from '../core/providers/types.ts';
import type { EvalPool } from '../runtime/eval-pool.ts';
import type { EmbedRegistry, ResultBody } from './registry.ts';

const bytesSchema = z.union([
	z.instanceof(Uint8Array),
	z.instanceof(ArrayBuffer).transform((b) => new Uint8Array(b))
]);

/** The `eval-run` request, exactly as issue 14 §5 names it. */
export const evalRunSchema = z.strictObject({
	...envelopeShape,
	type: z.literal('eval-run'),
	pack: z.strictObject({
		format: z.enum(['humaneval', 'mbpp', 'spider', 'bird']),
		text: z.string().max(200_000_000).optional(),
		files: z
			.array(z.strictObject({ name: z.string().min(1).max(1000), bytes: bytesSchema }))
			.max(10_000)
			.optional()
	}),
	source: z.discriminatedUnion('kind', [
		z.strictObject({ kind: z.literal('predictions'), text: z.string().max(500_000_000) }),
		z.strictObject({ kind: z.literal('reference') }),
		z.strictObject({
			kind: z.literal('model'),
			provider: agentProviderSchema,
			preset: z.enum(batchPresets),
			n: z.number().int().positive().max(1000),
			sampling: z
				.strictObject({
					temperature: z.number().min(0).max(5).optional(),
					topP: z.number().gt(0).max(1).optional(),
					maxTokens: z.number().int().positive().optional()
				})
				.optional()
		})
	]),
	k: z.array(z.number().int().positive().max(100_000)).max(100).optional(),
	workers: z.number().int().positive().max(64).optional(),
	budgets: z
		.strictObject({
			timeoutMs: z.number().int().positive().max(3_600_000).optional(),
			maxOutputBytes: z.number().int().positive().max(100_000_000).optional()
		})
		.optional()
});

/** A validated `eval-run` request. */
export type EvalRunRequest = z.infer<typeof evalRunSchema>;

/** Registers `eval-run`. */
export function registerEvalRunHandler(registry: EmbedRegistry): void {
	registry.register('eval-run', {
		schema: evalRunSchema,
		handle: (request: EvalRunRequest, context) =>
			runEvalRequest(request, (event) => context.emit(event), context.signal)
	});
}

/** Progress events at most this often (the last one always goes). */
const progressEveryMs = 100;

/** Runs one `eval-run`: reads the pack, plans, scores on a pool, answers in the contract's shape. */
export async function runEvalRequest(
	request: EvalRunRequest,
	emit: (event: unknown) => void,
	signal: AbortSignal
): Promise<ResultBody> {
	const [{ parsePack }, { createEvalPool, startEvalRun }] = await Promise.all([
		import('../core/eval/packs/index.ts'),
		import('../runtime/eval-pool.ts')
	]);
	const files = [...(request.pack.files ?? [])];
	if (request.pack.text !== undefined) {
		files.unshift({
			name: mainFileName[request.pack.format],
			bytes: encoder.encode(request.pack.text)
		});
	}
	let handle;
	const { pool, release } = takePool(createEvalPool, request.workers);
	try {
		const pack = await parsePack({ format: request.pack.format, files });
		const options = { k: request.k, workers: request.workers, budgets: request.budgets };
		const provider = await modelOf(request.source);
		const run = { pack, source: request.source, options, persist: false, signal };
		handle = startEvalRun(run, { pool, provider });
	} catch (error) {
		release();
		const e = error instanceof Error ? error : new Error(String(error));
		return failure(e.name === 'Error' ? 'BadRequest' : e.name, e.message);
	}
	let last = 0;
	handle.progress(({ done, total, phase }) => {
		const now = performance.now();
		if (done !== total && now - last < progressEveryMs) return;
		last = now;
		// A model source reports generating, then scoring (its `done` starts again from 0).
		emit({ type: 'progress', done, total, ...(phase ? { phase } : {}) });
	});
	try {
		const result = await handle.result;
		const samples = result.samples.map(({ taskId, index, passed, result, durationMs }) => ({
			taskId,
			index,
			passed,
			result,
			durationMs
		}));
		if (result.state === 'cancelled') {
			return { ...failure('AbortError', 'eval-run was stopped'), metrics: result.metrics, samples };
		}
		return { ok: true, metrics: result.metrics, samples };
	} finally {
		release();
	}
}

const encoder = new TextEncoder();

/** How long the kept pool's workers stay up after an eval-run, for the next one. */
export const poolIdleMs = 60_000;

// One pool kept between eval-runs (a host grading run after run pays the workers' start once);
// a request arriving while it is busy gets a pool of its own, ended with the request.
let kept: { pool: EvalPool; busy: boolean; timer?: ReturnType<typeof setTimeout> } | null = null;

function takePool(
	create: (options: { workers?: number }) => EvalPool,
	workers: number | undefined
): { pool: EvalPool; release(): void } {
	if (kept?.busy) {
		const own = create({ workers });
		return { pool: own, release: () => own.dispose() };
	}
	const entry = (kept ??= { pool: create({ workers }), busy: false });
	clearTimeout(entry.timer);
	entry.busy = true;
	entry.pool.resize(workers ?? globalThis.navigator?.hardwareConcurrency ?? 2);
	return {
		pool: entry.pool,
		release() {
			entry.busy = false;
			entry.timer = setTimeout(() => {
				entry.pool.dispose();
				if (kept === entry) kept = null;
			}, poolIdleMs);
		}
	};
}

// The provider of a model source, built as agent-run builds it; none for the other sources.
async function modelOf(source: EvalRunRequest['source']): Promise<Provider | undefined> {
	if (source.kind !== 'model') return undefined;
	const [{ createProvider }, { providerConfigOf }] = await Promise.all([
		import('../core/providers/index.ts'),
		import('./agent-run.ts')
	]);
	return createProvider(providerConfigOf(source.provider));
}

// The name `text` is read under, so the pack reader finds it as that format's main file.
const mainFileName: Record<EvalRunRequest['pack']['format'], string> = {
	humaneval: 'HumanEval.jsonl',
	mbpp: 'mbpp.jsonl',
	spider: 'dev.json',
	bird: 'dev.json'
};

function failure(type: string, message: string): ResultBody {
	return { ok: false, error: { type, message } };
}

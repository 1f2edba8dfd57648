// Each scored sample of a model-sourced batch run saved as a trace in the history: the executor
// that scores the samples is wrapped so that each verdict, as it is delivered, becomes the trace of
// its model call (core/eval/batch/sample-trace.ts), queued for a batched write.
import { batchAsks, type BatchAsk } from '../core/eval/batch/generate.ts';
import type { BatchExecutor } from '../core/eval/batch/run.ts';
import { sampleTrace, sampleTasks } from '../core/eval/batch/sample-trace.ts';
import type { BatchPlan, EvalRunRecord } from '../core/eval/batch/types.ts';
import type { EvalMachine, SampleVerdict, TaskPack } from '../core/eval/pack.ts';
import { createSampleTraceWriter, type SampleTraceStore } from './sample-trace-writer.ts';

/** What the wrapped executor needs to know about the run. */
export interface TracedRun {
	record: EvalRunRecord;
	pack: TaskPack;
	plan: BatchPlan;
}

/**
 * The executor, saving a trace per scored sample when the run's answers came from a model (and
 * carry their calls); any other run gets the executor back unchanged. The run's end waits for the
 * last traces to be written.
 */
export function tracingExecutor(
	inner: BatchExecutor,
	run: TracedRun,
	load: () => Promise<SampleTraceStore>
): BatchExecutor {
	const { record, pack, plan } = run;
	const source = record.source;
	const answers = record.answers;
	if (source.kind !== 'model' || !answers?.some((a) => a.call)) return inner;
	const asks = new Map<string, BatchAsk>(batchAsks(pack, source.preset).map((a) => [a.taskId, a]));
	const tasks = sampleTasks(pack);
	const toTrace = (order: number, verdict: SampleVerdict, engines: Record<string, string>) => {
		const job = plan.jobs[order];
		const answer = answers[order];
		const ask = asks.get(verdict.taskId);
		const task = tasks.get(verdict.taskId);
		if (!job || !answer?.call || !ask || !task) return null;
		const input = { runId: record.id, pack, source, ask, task, job, verdict, engines };
		const trace = sampleTrace({ ...input, answer: answer.answer, call: answer.call });
		const { parameters, databases } = trace;
		const evalSource = { kind: 'eval' as const, evalRun: record.id };
		return { ...trace, source: evalSource, v2: { parameters, databases } };
	};
	return {
		machine: () => inner.machine(),
		async execute(jobs, context) {
			const writer = createSampleTraceWriter(load);
			const onHide = () => void writer.flush();
			globalThis.addEventListener?.('pagehide', onHide);
			try {
				await inner.execute(jobs, {
					...context,
					deliver(batch) {
						context.deliver(batch);
						try {
							const engines = enginesOf(inner.machine());
							for (const { order, verdict } of batch) {
								const trace = toTrace(order, verdict, engines);
								if (trace) writer.add(trace);
							}
						} catch {
							// A trace that cannot be built must not stop the scoring; the verdicts are in.
						}
					}
				});
			} finally {
				globalThis.removeEventListener?.('pagehide', onHide);
				await writer.flush();
			}
		}
	};
}

function enginesOf(machine: EvalMachine): Record<string, string> {
	return {
		...(machine.pyodide ? { pyodide: machine.pyodide } : {}),
		...(machine.sqlite ? { sqlite: machine.sqlite } : {})
	};
}

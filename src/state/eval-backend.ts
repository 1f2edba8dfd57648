// What the Eval tab's session calls: the pack importer, the bundled packs and the pack store, the
// batch runner and its run store — one object, so the session reads as what the tab does.
import type {
	EvalRunHandle,
	EvalRunRecord,
	StartEvalRunRequest
} from '../core/eval/batch/types.ts';
import type { PackFormat, TaskPack } from '../core/eval/pack.ts';
import { parsePack, type PackInput } from '../core/eval/packs/index.ts';
import { packStore, type PackStore } from '../runtime/pack-store.ts';
import { resumeEvalRun, startEvalRun, type EvalPool } from '../runtime/eval-pool.ts';
import { evalRunStore, type EvalRunStore, type StoredRun } from '../runtime/eval-run-store.ts';
import type { Provider } from '../core/providers/index.ts';
import { sampleTraceId, sampleTracePrefix } from '../core/eval/batch/sample-trace-id.ts';
import { traceFromEvents } from '../core/trace/trace.ts';
import { traceToV2, type TraceV2 } from '../core/trace/trace-v2.ts';
import { pageTraceStore } from '../runtime/page-trace-store.ts';
import type { TraceStore } from '../runtime/trace-store.ts';

/** A pack as the picker lists it. */
export interface PackEntry {
	id: string;
	title: string;
	format: PackFormat;
	/** `bundled`, or where an imported pack came from. */
	origin: string;
	tasks: number;
	databases: number;
	bundled: boolean;
}

/** A running batch as the session follows it. */
export type EvalRunHandleLike = EvalRunHandle;

/** The calls the Eval tab's session makes. */
export interface EvalBackend {
	listPacks(): Promise<PackEntry[]>;
	loadPack(id: string): Promise<TaskPack | null>;
	parsePack(input: PackInput): Promise<TaskPack>;
	savePack(pack: TaskPack): Promise<void>;
	removePack(id: string): Promise<void>;
	/** Starts a run; a model source needs its provider (built from the Agent tab's settings). */
	startRun(request: StartEvalRunRequest, provider?: Provider): EvalRunHandle;
	/** Resumes a stored run; its pack is found by id with {@link EvalBackend.loadPack}. */
	resumeRun(runId: string): Promise<EvalRunHandle>;
	listRuns(): Promise<EvalRunRecord[]>;
	/** A stored run with its whole input (predictions text, a model's answers) and verdicts. */
	loadRun(runId: string): Promise<StoredRun | null>;
	/** Deletes a stored run and the sample traces it saved in the history. */
	removeRun(runId: string): Promise<void>;
	/** Deletes stored runs (all or none) and their sample traces. */
	removeRuns(runIds: readonly string[]): Promise<void>;
	/** A model sample's saved trace and its History title, or null when it is not saved. */
	sampleTrace(
		runId: string,
		taskId: string,
		index: number
	): Promise<{ trace: TraceV2; title: string } | null>;
}

/** Where a backend keeps packs and runs, and the pool its runs use (a new one per run when absent). */
export interface EvalBackendParts {
	packs: PackStore;
	runs: EvalRunStore;
	pool?: () => EvalPool;
	/** The trace history a model source's samples are saved to (none: no sample traces). */
	traces?: () => Promise<TraceStore>;
}

/** A backend over the given stores (tests pass in-memory ones and a pool on Node's engines). */
export function createEvalBackend(parts: EvalBackendParts): EvalBackend {
	const { packs, runs } = parts;
	const loadPack = async (id: string) => (await packs.load(id)) ?? null;
	const { traces } = parts;
	const runOptions = () => ({
		store: runs,
		...(parts.pool ? { pool: parts.pool() } : {}),
		...(traces ? { traces } : {})
	});
	const removeRuns = async (ids: readonly string[]) => {
		await runs.removeMany(ids);
		if (!traces) return;
		const store = await traces();
		for (const id of ids) {
			const result = await store.removePrefix(sampleTracePrefix(id));
			if (!result.ok) throw new Error(result.message);
		}
	};
	return {
		async listPacks() {
			return (await packs.list()).map((s) => ({
				id: s.id,
				title: s.title,
				format: s.format,
				origin: s.origin,
				tasks: s.counts.tasks,
				databases: s.counts.databases,
				bundled: s.bundled
			}));
		},
		loadPack,
		parsePack,
		async savePack(pack) {
			await packs.save(pack);
		},
		removePack: (id) => packs.remove(id),
		startRun: (request, provider) =>
			startEvalRun(request, { ...runOptions(), ...(provider ? { provider } : {}) }),
		resumeRun: (runId) => resumeEvalRun(runId, { ...runOptions(), loadPack }),
		listRuns: () => runs.list(),
		loadRun: (runId) => runs.load(runId),
		removeRun: (runId) => removeRuns([runId]),
		removeRuns,
		async sampleTrace(runId, taskId, index) {
			if (!traces) return null;
			const store = await traces();
			const id = sampleTraceId(runId, taskId, index);
			const [entry, events] = await Promise.all([store.entry(id), store.events(id)]);
			if (!entry || events.length === 0) return null;
			return { trace: traceToV2(traceFromEvents(events), entry.v2 ?? {}), title: entry.title };
		}
	};
}

/** The real backend: bundled packs, the IndexedDB stores, the trace history and a worker pool per run. */
export const backend: EvalBackend = createEvalBackend({
	packs: packStore,
	runs: evalRunStore,
	traces: pageTraceStore
});

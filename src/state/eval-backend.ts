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
	removeRun(runId: string): Promise<void>;
}

/** Where a backend keeps packs and runs, and the pool its runs use (a new one per run when absent). */
export interface EvalBackendParts {
	packs: PackStore;
	runs: EvalRunStore;
	pool?: () => EvalPool;
}

/** A backend over the given stores (tests pass in-memory ones and a pool on Node's engines). */
export function createEvalBackend(parts: EvalBackendParts): EvalBackend {
	const { packs, runs } = parts;
	const loadPack = async (id: string) => (await packs.load(id)) ?? null;
	const runOptions = () => ({ store: runs, ...(parts.pool ? { pool: parts.pool() } : {}) });
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
		removeRun: (runId) => runs.remove(runId)
	};
}

/** The real backend: bundled packs, the IndexedDB stores and a worker pool per run. */
export const backend: EvalBackend = createEvalBackend({ packs: packStore, runs: evalRunStore });

// The Eval tab's session: which pack, where the answers come from, the run's options, the run
// itself (progress, pause, resume, cancel, a reload resuming it) and its results and exports.
// The packs come from src/data/packs and src/runtime/pack-store.ts, the runs from
// src/runtime/eval-pool.ts and eval-run-store.ts; this class only holds what the tab shows.
import type {
	BatchJob,
	BatchProgress,
	BatchResult,
	BatchSource,
	EvalRunRecord
} from '../core/eval/batch/types.ts';
import type { PackFile, PackFormat, SampleVerdict, TaskPack } from '../core/eval/pack.ts';
import {
	countOf,
	parseKs,
	readPrefs,
	savePrefs as writePrefs,
	type SourceKind
} from './eval-form.ts';
import { createJobLookup } from './eval-jobs.ts';
import type { EvalBackend, EvalRunHandleLike, PackEntry } from './eval-backend.ts';
import { sourceOf, type BatchPreset, type ModelChoice } from './eval-source.ts';
import type { TaskAnswer } from '../core/eval/batch/plan.ts';
import { storedResult } from '../core/eval/batch/stored-result.ts';
import type { TraceV2 } from '../core/trace/trace-v2.ts';
import type { Provider } from '../core/providers/index.ts';

export type { BatchPreset, ModelChoice } from './eval-source.ts';

/** The pool size offered first: one worker per core, as the issue asks. */
export const defaultWorkers = (): number =>
	Math.max(1, Math.min(16, globalThis.navigator?.hardwareConcurrency || 2));

/** The Eval tab: pack, source, options, the run and its results. */
export class EvalSession {
	/** Bundled packs first, then imported ones. */
	packs = $state.raw<PackEntry[]>([]);
	packId = $state<string | null>(null);
	/** The chosen pack's records, once loaded. */
	pack = $state.raw<TaskPack | null>(null);
	/** A pack being imported or loaded. */
	busy = $state('');
	/** The last import's problem (names file, record, field), or '' . */
	importError = $state('');
	/** What the last import did. */
	importNote = $state('');

	sourceKind = $state<SourceKind>('reference');
	/** An imported predictions file. */
	predictions = $state.raw<{ name: string; text: string } | null>(null);
	/** How a model is asked (generate.ts `batchPresets`): `completion` (Python packs) or `chat`. */
	modelPreset = $state<BatchPreset>('chat');
	n = $state(1);
	temperature = $state(0.8);
	kText = $state('1, 10, 100');
	workers = $state(defaultWorkers());

	/** The run shown (running, stopped or finished). */
	progress = $state.raw<BatchProgress | null>(null);
	result = $state.raw<BatchResult | null>(null);
	/** The record of an unfinished run found on open, offered as "resume". */
	resumable = $state.raw<EvalRunRecord | null>(null);
	/** A problem starting or running (not a sample's verdict: those are results). */
	problem = $state('');

	readonly #backend: EvalBackend;
	#handle: EvalRunHandleLike | null = null;
	#unsubscribe: (() => void) | null = null;
	/** The pack the shown result belongs to (the table's database lookup and exports use it). */
	resultPack = $state.raw<TaskPack | null>(null);
	/** The source of the shown result (its programs are planned again from it for the table). */
	resultSource = $state.raw<BatchSource | null>(null);
	/** A model source's generated answers, once its run is done (from the stored run). */
	resultAnswers = $state.raw<TaskAnswer[] | null>(null);
	/** The id of the run shown (its sample traces are named after it). */
	resultRunId = $state<string | null>(null);

	/** A session on a backend: the real pool and stores (`backend` of eval-backend.ts) or a test's own. */
	constructor(deps: EvalBackend) {
		this.#backend = deps;
		const p = readPrefs();
		if (p.sourceKind) this.sourceKind = p.sourceKind;
		if (p.kText) this.kText = p.kText;
		if (p.workers && p.workers > 0) this.workers = p.workers;
		if (p.n && p.n > 0) this.n = p.n;
		if (typeof p.temperature === 'number') this.temperature = p.temperature;
		if (p.modelPreset === 'completion' || p.modelPreset === 'chat')
			this.modelPreset = p.modelPreset;
		this.packId = p.packId ?? null;
	}

	/** Whether a run is in progress (running or paused). */
	get active(): boolean {
		return this.progress?.state === 'running' || this.progress?.state === 'paused';
	}

	/** The id of the run in progress, or null. */
	get activeRunId(): string | null {
		return this.active ? (this.#handle?.id ?? null) : null;
	}

	/** Lists the packs, picks the saved one, and looks for an unfinished run to offer. */
	async open(): Promise<void> {
		await this.refreshPacks();
		const wanted = this.packs.find((p) => p.id === this.packId) ?? this.packs[0];
		if (wanted) await this.choosePack(wanted.id);
		try {
			const runs = await this.#backend.listRuns();
			this.resumable =
				runs
					.filter((r) => (r.state === 'running' || r.state === 'paused') && r.done < r.total)
					.sort((a, b) => b.updatedAt - a.updatedAt)[0] ?? null;
		} catch (e) {
			this.problem = `Could not read saved runs: ${message(e)}`;
		}
	}

	/** Re-reads the pack list (bundled and stored). */
	async refreshPacks(): Promise<void> {
		try {
			this.packs = await this.#backend.listPacks();
		} catch (e) {
			this.importError = `Could not list the stored packs: ${message(e)}`;
		}
	}

	/** Chooses a pack and loads its records. */
	async choosePack(id: string): Promise<void> {
		this.packId = id;
		this.savePrefs();
		this.busy = 'Loading the pack…';
		try {
			this.pack = await this.#backend.loadPack(id);
			if (!this.pack) this.importError = 'That pack is no longer stored.';
		} catch (e) {
			this.pack = null;
			this.importError = message(e);
		} finally {
			this.busy = '';
		}
	}

	/** Imports files as a pack (format detected), stores it and chooses it; a bad pack changes nothing. */
	async importFiles(files: PackFile[], format?: PackFormat): Promise<void> {
		this.importError = '';
		this.importNote = '';
		if (files.length === 0) {
			this.importError = 'No files were given.';
			return;
		}
		this.busy = `Reading ${files.length} file${files.length === 1 ? '' : 's'}…`;
		try {
			const pack = await this.#backend.parsePack({ files, ...(format ? { format } : {}) });
			await this.#backend.savePack(pack);
			await this.refreshPacks();
			this.packId = pack.id;
			this.pack = pack;
			this.savePrefs();
			this.importNote = `Imported “${pack.title}” (${pack.format}, ${countOf(pack)}).`;
		} catch (e) {
			this.importError = message(e);
		} finally {
			this.busy = '';
		}
	}

	/** Forgets an imported pack (bundled packs cannot be removed). */
	async removePack(id: string): Promise<void> {
		try {
			await this.#backend.removePack(id);
			await this.refreshPacks();
			if (this.packId === id) {
				this.pack = null;
				this.packId = null;
				if (this.packs[0]) await this.choosePack(this.packs[0].id);
			}
		} catch (e) {
			this.importError = message(e);
		}
	}

	/** Takes a predictions file's text (read by the component). */
	usePredictions(name: string, text: string): void {
		this.predictions = { name, text };
		this.sourceKind = 'predictions';
		this.savePrefs();
	}

	/** The k list as numbers, or the problem with what was typed. */
	get ks(): number[] | string {
		return parseKs(this.kText);
	}

	/** Starts a run of the chosen pack with the chosen source and options. */
	async start(model?: () => Promise<ModelChoice>): Promise<void> {
		if (this.active) return;
		this.problem = '';
		const pack = this.pack;
		if (!pack) return void (this.problem = 'Choose a pack first.');
		const ks = this.ks;
		if (typeof ks === 'string') return void (this.problem = ks);
		let source: BatchSource;
		let provider: Provider | undefined;
		try {
			({ source, provider } = await sourceOf(this.#choices(), model));
		} catch (e) {
			return void (this.problem = message(e));
		}
		this.savePrefs();
		const workers = Math.max(1, Math.floor(this.workers) || 1);
		let handle: EvalRunHandleLike;
		try {
			// Throws at once when the source cannot be read against the pack (names line and field).
			const request = { pack, source, options: { k: ks, workers }, persist: true };
			handle = this.#backend.startRun(request, provider);
		} catch (e) {
			return void (this.problem = message(e));
		}
		this.#follow(handle, pack, source);
		this.resumable = null;
	}

	#choices() {
		const { sourceKind: kind, predictions, modelPreset, n, temperature } = this;
		return { kind, format: this.pack?.format, predictions, modelPreset, n, temperature };
	}

	/** Resumes an unfinished stored run (default: the one found on open); its pack is loaded by its id. */
	async resumeSaved(record: EvalRunRecord | null = this.resumable): Promise<void> {
		if (!record || this.active) return;
		this.problem = '';
		try {
			const pack = await this.#backend.loadPack(record.packId);
			if (!pack) throw new Error(`The run’s pack “${record.packTitle}” is no longer stored.`);
			this.packId = pack.id;
			this.pack = pack;
			// The listed record leaves the predictions text out; the stored run has it.
			const source = (await this.#backend.loadRun(record.id))?.record.source ?? record.source;
			if (source.kind === 'predictions') {
				const name = readPrefs().predictionsName ?? 'samples.jsonl';
				this.predictions = { name, text: source.text };
				this.sourceKind = 'predictions';
			}
			const handle = await this.#backend.resumeRun(record.id);
			this.resumable = null;
			this.#follow(handle, pack, source);
		} catch (e) {
			this.problem = `Could not resume: ${message(e)}`;
		}
	}

	/** Forgets the unfinished run instead of resuming it. */
	async discardSaved(): Promise<void> {
		const record = this.resumable;
		this.resumable = null;
		if (record) await this.#backend.removeRun(record.id).catch(() => {});
	}

	/** Shows a stored run's numbers and verdicts (an unfinished one: those scored so far). */
	async showStored(runId: string): Promise<void> {
		if (this.active) return void (this.problem = 'Cancel the running evaluation first.');
		this.problem = '';
		try {
			const stored = await this.#backend.loadRun(runId);
			if (!stored) throw new Error('that run is no longer stored.');
			const { record, verdicts } = stored;
			const pack = await this.#backend.loadPack(record.packId);
			if (!pack) throw new Error(`its pack “${record.packTitle}” is no longer stored.`);
			const result = storedResult(pack, record, verdicts);
			this.#unsubscribe?.();
			this.#handle = null;
			Object.assign(this, {
				resultPack: pack,
				resultSource: record.source,
				resultAnswers: record.answers ?? null,
				resultRunId: record.id,
				result
			});
			this.progress = { ...counts(result), etaMs: null, state: record.state };
		} catch (e) {
			this.problem = `Could not open the run: ${message(e)}`;
		}
	}

	/** The saved trace of a model sample of the shown run (null: not saved, or not a model run). */
	async sampleTrace(sample: SampleVerdict): Promise<{ trace: TraceV2; title: string } | null> {
		const runId = this.resultRunId;
		if (!runId || this.resultSource?.kind !== 'model') return null;
		return this.#backend.sampleTrace(runId, sample.taskId, sample.index);
	}

	#follow(handle: EvalRunHandleLike, pack: TaskPack, source: BatchSource): void {
		this.#unsubscribe?.();
		this.#handle = handle;
		this.result = null;
		this.resultPack = pack;
		this.resultSource = source;
		this.resultAnswers = null;
		this.resultRunId = handle.id;
		this.#unsubscribe = handle.progress((p) => {
			if (this.#handle === handle) this.progress = p;
		});
		handle.result.then(
			(r) => {
				if (this.#handle !== handle) return;
				this.result = r;
				this.progress = { ...(this.progress ?? { etaMs: null }), ...counts(r), state: r.state };
				// A model's answers are kept with the stored run: the table shows what ran.
				if (source.kind === 'model')
					void this.#backend.loadRun(handle.id).then((stored) => {
						if (this.#handle === handle) this.resultAnswers = stored?.record.answers ?? null;
					});
			},
			(e: unknown) => {
				if (this.#handle !== handle) return;
				this.problem = `The run broke: ${message(e)}`;
				if (this.progress) this.progress = { ...this.progress, state: 'error', error: message(e) };
			}
		);
	}

	/**
	 * The job a sample came from (its program or query), for predictions and references; null for
	 * model samples (their answers are generated during the run) or when it cannot be planned.
	 */
	jobOf(sample: SampleVerdict): BatchJob | null {
		return this.#jobOf(this.resultPack, this.resultSource, this.resultAnswers, sample);
	}
	readonly #jobOf = createJobLookup();

	/** Pauses the running batch (workers finish their current chunk). */
	pause(): void {
		this.#handle?.pause();
	}

	/** Resumes a paused batch. */
	resume(): void {
		this.#handle?.resume();
	}

	/** Cancels the batch; the verdicts so far stay shown. */
	cancel(): void {
		this.#handle?.cancel();
	}

	/** Saves the tab's choices (not the predictions text, which can be large). */
	savePrefs(): void {
		writePrefs({
			...(this.packId ? { packId: this.packId } : {}),
			...(this.predictions ? { predictionsName: this.predictions.name } : {}),
			sourceKind: this.sourceKind,
			kText: this.kText,
			workers: this.workers,
			n: this.n,
			temperature: this.temperature,
			modelPreset: this.modelPreset
		});
	}
}

function counts(r: BatchResult): { done: number; total: number; passed: number } {
	const passed = r.samples.reduce((n, s) => n + (s.passed ? 1 : 0), 0);
	return { done: r.samples.length, total: r.metrics.total || r.samples.length, passed };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

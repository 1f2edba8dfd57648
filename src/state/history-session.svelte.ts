import type { ExportFormat } from '../core/export/index.ts';
import type { HistoryEntry } from '../core/history/entry.ts';
import { exportSelected } from '../core/history/export-selected.ts';
import { readTraceFile } from '../core/history/import-file.ts';
import {
	emptyQuery,
	facet,
	queryHistory,
	renamed,
	type HistoryQuery
} from '../core/history/query.ts';
import { continuationTrace } from '../core/history/resume.ts';
import { describeUsage, nearQuota, type StorageProblem } from '../core/history/storage-problem.ts';
import { eventsFromTrace, traceFromEvents } from '../core/trace/trace.ts';
import { traceToV1, traceToV2, type TraceV2 } from '../core/trace/trace-v2.ts';
import { SvelteSet } from 'svelte/reactivity';
import { downloadBlob } from '../lib/download.ts';
import { pageTraceStore } from '../runtime/agent-environment.ts';
import type { TraceStore } from '../runtime/trace-store.ts';
import type { AgentSession, OpenMode } from './agent-session.svelte.ts';

/** What the History tab needs from the page. */
export interface HistoryDeps {
	store?: Promise<TraceStore>;
	/** The Agent tab's session. */
	agent(): Promise<AgentSession>;
	/** Shows the Agent tab. */
	showAgent(): void;
}

/** How long a deletion can be undone before it is written. */
export const undoMs = 8000;

/** The History tab: the saved runs, the list's query and selection, and what is done to them. */
export class HistorySession {
	/** Every saved run (without those waiting for their deletion to be final). */
	entries = $state.raw<HistoryEntry[]>([]);
	query = $state<HistoryQuery>({ ...emptyQuery });
	/** Ids of the selected runs. */
	readonly selected = new SvelteSet<string>();
	loading = $state(true);
	/** A one-line note of the last action. */
	status = $state('');
	/** A problem with the last action (import error naming record and field, export refusal …). */
	problem = $state('');
	/** The store's last storage problem (quota first); null while saves work. */
	storage = $state.raw<StorageProblem | null>(null);
	/** "12 MB of 1.2 GB used (1%)", when the browser says. */
	usage = $state<string | null>(null);
	/** Usage is over 90 % of the quota. */
	nearFull = $state(false);
	/** Runs deleted but not yet written, with their undo. */
	pendingDelete = $state.raw<{ ids: string[]; titles: string[] } | null>(null);

	/** The runs the query shows, in its order. */
	readonly shown = $derived(
		queryHistory(
			this.entries.filter((e) => !this.pendingDelete?.ids.includes(e.id)),
			this.query
		)
	);
	readonly presets = $derived(facet(this.entries, 'preset'));
	readonly models = $derived(facet(this.entries, 'model'));

	readonly #deps: HistoryDeps;
	readonly #store: Promise<TraceStore>;
	#unsubscribe: (() => void)[] = [];
	#undoTimer: ReturnType<typeof setTimeout> | null = null;

	constructor(deps: HistoryDeps) {
		this.#deps = deps;
		this.#store = deps.store ?? pageTraceStore();
	}

	/** Loads the list and follows the store's changes and problems until {@link dispose}. */
	async start(): Promise<void> {
		try {
			const store = await this.#store;
			this.storage = store.problem;
			this.#unsubscribe.push(
				store.onChange(() => void this.refresh()),
				store.onProblem((p) => (this.storage = p))
			);
			await this.refresh();
		} catch (e) {
			this.problem = `The trace history could not be opened: ${message(e)}`;
		} finally {
			this.loading = false;
		}
	}

	/** Stops following the store (a pending deletion is written now). */
	dispose(): void {
		for (const off of this.#unsubscribe.splice(0)) off();
		void this.commitDelete();
	}

	/** Reads the list and the storage estimate again. */
	async refresh(): Promise<void> {
		const store = await this.#store;
		this.entries = await store.list();
		const live = this.entries.map((e) => e.id);
		for (const id of [...this.selected]) if (!live.includes(id)) this.selected.delete(id);
		const estimate = await globalThis.navigator?.storage?.estimate?.().catch(() => null);
		this.usage = describeUsage(estimate ?? null);
		this.nearFull = nearQuota(estimate ?? null);
	}

	/** Selects or unselects one run. */
	toggle(id: string): void {
		if (!this.selected.delete(id)) this.selected.add(id);
	}

	/** Selects every shown run, or none when all of them already are. */
	toggleAll(): void {
		const ids = this.shown.map((e) => e.id);
		const all = ids.length > 0 && ids.every((id) => this.selected.has(id));
		this.selected.clear();
		if (!all) for (const id of ids) this.selected.add(id);
	}

	/** Gives a run a new title. */
	async rename(id: string, title: string): Promise<boolean> {
		const entry = this.entries.find((e) => e.id === id);
		if (!entry) return false;
		let clean: string;
		try {
			clean = renamed(entry, title).title;
		} catch (e) {
			this.problem = message(e);
			return false;
		}
		if (clean === entry.title) return true;
		const result = await (await this.#store).rename(id, clean);
		if (!result.ok) return (void (this.problem = result.message), false);
		this.entries = this.entries.map((e) => (e.id === id ? { ...e, title: clean } : e));
		this.status = `Renamed to “${clean}”.`;
		return true;
	}

	/** Hides runs at once and deletes them after {@link undoMs} unless undone. */
	async remove(ids: readonly string[]): Promise<void> {
		await this.commitDelete();
		const running = this.entries.filter((e) => e.outcome === 'running').map((e) => e.id);
		const doomed = ids.filter((id) => !running.includes(id));
		if (doomed.length < ids.length) this.problem = 'A run still in progress cannot be deleted.';
		if (doomed.length === 0) return;
		const titles = doomed.map((id) => this.entries.find((e) => e.id === id)?.title ?? id);
		this.pendingDelete = { ids: doomed, titles };
		for (const id of doomed) this.selected.delete(id);
		this.#undoTimer = setTimeout(() => void this.commitDelete(), undoMs);
	}

	/** Brings back the runs of the pending deletion. */
	undoDelete(): void {
		if (this.#undoTimer !== null) clearTimeout(this.#undoTimer);
		this.#undoTimer = null;
		this.pendingDelete = null;
		this.status = 'Deletion undone.';
	}

	/** Writes the pending deletion now. */
	async commitDelete(): Promise<void> {
		const pending = this.pendingDelete;
		if (this.#undoTimer !== null) clearTimeout(this.#undoTimer);
		this.#undoTimer = null;
		if (!pending) return;
		this.pendingDelete = null;
		const result = await (await this.#store).remove(pending.ids);
		if (!result.ok) this.problem = result.message;
		else this.status = `Deleted ${pending.ids.length} trace${pending.ids.length === 1 ? '' : 's'}.`;
		await this.refresh();
	}

	/** A saved run as a v2 trace (an interrupted one up to its last saved event). */
	async trace(id: string): Promise<TraceV2> {
		const events = await (await this.#store).events(id);
		if (events.length === 0) throw new Error('This trace has no saved events.');
		const v2 = this.entries.find((e) => e.id === id)?.v2;
		return traceToV2(traceFromEvents(events), v2 ?? {});
	}

	/** Downloads the selected runs (in the list's order) in a format; a refusal is the problem. */
	async exportSelection(format: ExportFormat): Promise<void> {
		this.problem = '';
		try {
			const ids = this.shown.filter((e) => this.selected.has(e.id)).map((e) => e.id);
			const traces = await Promise.all(ids.map((id) => this.trace(id)));
			// A plain timestamp for the file name, not reactive state.
			// eslint-disable-next-line svelte/prefer-svelte-reactivity
			const file = exportSelected(traces, format, new Date().toISOString());
			downloadBlob(new Blob([file.text], { type: file.type }), file.name);
			this.status = `Exported ${traces.length} trace${traces.length === 1 ? '' : 's'} as ${file.name}.`;
		} catch (e) {
			this.problem = message(e);
		}
	}

	/** Opens a run in the Agent tab: replayed whole, or continued live from its last complete turn. */
	async open(id: string, mode: OpenMode): Promise<void> {
		this.problem = '';
		try {
			const entry = this.entries.find((e) => e.id === id);
			const full = await this.trace(id);
			const trace = mode === 'continue' ? continuationTrace(full) : full;
			const session = await this.#deps.agent();
			if (!session.openTrace(trace, { title: entry?.title ?? id, mode })) {
				this.problem = session.problem || 'The Agent tab is busy.';
				return;
			}
			this.#deps.showAgent();
		} catch (e) {
			this.problem = message(e);
		}
	}

	/** Imports ExecLab JSON/JSONL (v1 or v2) or an InterCode log: all or nothing, an error naming record and field. */
	async importFile(file: File): Promise<void> {
		this.problem = '';
		this.status = '';
		try {
			if (file.size > 32 * 1024 * 1024)
				throw new Error(`record 1: (root): file too large (${file.size} bytes; at most 32 MiB)`);
			const { traces } = readTraceFile(await file.text());
			const store = await this.#store;
			let saved = 0;
			for (const t of traces) {
				const v2 = { databases: t.environment.databases, parameters: t.parameters };
				const r = await store.importRun(eventsFromTrace(traceToV1(t)), file.name, v2);
				if (!r.ok) throw new Error(`${r.message} (${saved} of ${traces.length} imported)`);
				saved++;
			}
			this.status = `Imported ${saved} trace${saved === 1 ? '' : 's'} from ${file.name}.`;
			await this.refresh();
		} catch (e) {
			this.problem = `${file.name}: ${message(e)}`;
		}
	}
}

function message(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}

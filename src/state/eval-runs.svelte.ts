// The Eval tab's saved runs: every batch run kept in IndexedDB (finished or not), to open, delete
// with a few seconds' undo (as History deletes), or clear of every finished one at once. The run in
// progress is never deleted. A deletion the store refuses is reported and the runs stay listed.
import type { EvalRunRecord } from '../core/eval/batch/types.ts';
import type { EvalBackend } from './eval-backend.ts';

/** How long a deletion can be undone before it is written (as in History). */
export const runUndoMs = 8000;

/** Whether a stored run has ended (done, cancelled or stopped by an error): nothing to resume. */
export const isFinished = (run: EvalRunRecord): boolean =>
	run.state === 'done' || run.state === 'cancelled' || run.state === 'error';

/** The saved runs list and its deletions. */
export class EvalRunsList {
	/** Every stored run, newest first (including those waiting for their deletion). */
	runs = $state.raw<EvalRunRecord[]>([]);
	/** Runs deleted but not yet written, with their undo. */
	pendingDelete = $state.raw<string[] | null>(null);
	/** The last problem (reading or deleting), or ''. */
	problem = $state('');
	/** A one-line note of the last action. */
	status = $state('');

	/** The runs listed: all but those waiting for their deletion. */
	readonly shown = $derived(this.runs.filter((r) => !this.pendingDelete?.includes(r.id)));
	/** The finished runs listed (what "delete all finished" deletes). */
	readonly finished = $derived(this.shown.filter((r) => isFinished(r) && !this.#isActive(r.id)));

	readonly #backend: Pick<EvalBackend, 'listRuns' | 'removeRuns'>;
	readonly #activeId: () => string | null;
	#timer: ReturnType<typeof setTimeout> | null = null;

	/** A list over the backend's run store; `activeId` names the run in progress (never deleted). */
	constructor(
		backend: Pick<EvalBackend, 'listRuns' | 'removeRuns'>,
		activeId: () => string | null
	) {
		this.#backend = backend;
		this.#activeId = activeId;
	}

	#isActive(id: string): boolean {
		return this.#activeId() === id;
	}

	/** Reads the stored runs again. */
	async refresh(): Promise<void> {
		try {
			this.runs = await this.#backend.listRuns();
		} catch (e) {
			this.problem = `Could not read the saved runs: ${message(e)}`;
		}
	}

	/** Hides runs at once and deletes them after {@link runUndoMs} unless undone. */
	async remove(ids: readonly string[]): Promise<void> {
		await this.commitDelete();
		this.problem = '';
		const doomed = ids.filter((id) => !this.#isActive(id));
		if (doomed.length < ids.length) this.problem = 'The run in progress cannot be deleted.';
		if (doomed.length === 0) return;
		this.pendingDelete = doomed;
		this.status = '';
		this.#timer = setTimeout(() => void this.commitDelete(), runUndoMs);
	}

	/** Deletes every finished run (with the same undo). */
	removeFinished(): Promise<void> {
		return this.remove(this.finished.map((r) => r.id));
	}

	/** Brings back the runs of the pending deletion. */
	undoDelete(): void {
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = null;
		this.pendingDelete = null;
		this.status = 'Deletion undone.';
	}

	/** Writes the pending deletion now (a refused one is reported; its runs stay). */
	async commitDelete(): Promise<void> {
		const ids = this.pendingDelete;
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = null;
		if (!ids) return;
		try {
			await this.#backend.removeRuns(ids);
			this.runs = this.runs.filter((r) => !ids.includes(r.id));
			this.status = `Deleted ${ids.length} run${ids.length === 1 ? '' : 's'}.`;
		} catch (e) {
			this.problem = message(e);
		} finally {
			this.pendingDelete = null;
			await this.refresh();
		}
	}
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

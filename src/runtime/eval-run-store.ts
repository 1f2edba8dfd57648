// Batch runs kept in IndexedDB as they go (idb-keyval, a database of their own): the run record
// under `run/<id>`, its input (predictions text, generated answers) once under `run/<id>/input`
// and its verdicts in chunks under `run/<id>/<n>`, so a reload resumes a run where it stopped and
// a big run is never rewritten whole. `list` gives the records without their input. Storage errors (quota, disabled
// storage) reject with a message that says so; nothing is dropped silently.
import { createStore, del, delMany, get, keys, set, type UseStore } from 'idb-keyval';
import type { SampleVerdict } from '../core/eval/pack.ts';
import type { RunSaver } from '../core/eval/batch/run.ts';
import {
	runChunkSize,
	type BatchSource,
	type EvalRunRecord,
	type EvalRunSummary
} from '../core/eval/batch/types.ts';
import { isQuotaError } from '../core/storage-quota.ts';

/** A stored run with its verdicts by job order (undefined where not yet scored). */
export interface StoredRun {
	record: EvalRunRecord;
	verdicts: (SampleVerdict | undefined)[];
}

/** Lists, loads, saves and deletes runs. */
export interface EvalRunStore extends RunSaver {
	list(): Promise<EvalRunSummary[]>;
	load(id: string): Promise<StoredRun | null>;
	remove(id: string): Promise<void>;
}

let store: UseStore | null = null;
const db = () => (store ??= createStore('execlab-eval-runs', 'runs'));
const recordKey = (id: string) => `run/${id}`;
const chunkKey = (id: string, n: number) => `run/${id}/${n}`;
const inputKey = (id: string) => `run/${id}/input`;

/** What a run reads and never changes (a predictions file, a model's answers): stored once. */
type RunInput = Pick<EvalRunRecord, 'source' | 'answers'>;

// Runs whose input is stored already (the record itself is saved about once a second).
const inputSaved = new Set<string>();

async function saveRecord(record: EvalRunRecord): Promise<void> {
	const { source, answers, ...rest } = record;
	if (!inputSaved.has(record.id) || (answers && !inputSaved.has(`${record.id}/answers`))) {
		await set(inputKey(record.id), { source: keyless(source), answers } satisfies RunInput, db());
		inputSaved.add(record.id);
		if (answers) inputSaved.add(`${record.id}/answers`);
	}
	// The list shows the record without the predictions text (it is in the input entry).
	const shown = source.kind === 'predictions' ? { kind: source.kind, text: '' } : keyless(source);
	await set(recordKey(record.id), { ...rest, source: shown }, db());
}

// A provider's API key is used for the model requests only, never stored (as for agent-run).
function keyless(source: BatchSource): BatchSource {
	if (source.kind !== 'model') return source;
	const { apiKey: _key, ...provider } = source.provider;
	return { ...source, provider };
}

async function loadRecord(id: string): Promise<EvalRunRecord | undefined> {
	const record = await get<EvalRunRecord>(recordKey(id), db());
	const input = await get<RunInput>(inputKey(id), db());
	return record && input ? { ...record, ...input } : undefined;
}

/** Why storage refused: the quota named as such. */
export function storageMessage(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	if (isQuotaError(error)) {
		return `The browser's storage is full: this run's progress could not be saved (${message}). Free space or delete old runs; the run itself goes on.`;
	}
	return `Could not save the run in the browser's storage: ${message}`;
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		throw new Error(storageMessage(error), { cause: error });
	}
}

/** The runs kept in this browser's IndexedDB. */
export const evalRunStore: EvalRunStore = {
	saveRecord: (record) => guarded(() => saveRecord(record)),
	saveChunk: (id, n, verdicts) => guarded(() => set(chunkKey(id, n), verdicts, db())),
	async list() {
		const all = (await keys(db())).map(String).filter((k) => k.split('/').length === 2);
		const records = await Promise.all(all.map((k) => get<EvalRunRecord>(k, db())));
		return records
			.filter((r): r is EvalRunRecord => r !== undefined)
			.sort((a, b) => b.updatedAt - a.updatedAt);
	},
	async load(id) {
		const record = await loadRecord(id);
		if (!record) return null;
		const verdicts: (SampleVerdict | undefined)[] = new Array(record.total);
		for (let n = 0; n < record.chunks; n++) {
			const chunk = await get<(SampleVerdict | null)[]>(chunkKey(id, n), db());
			chunk?.forEach((v, i) => {
				if (v) verdicts[n * runChunkSize + i] = v;
			});
		}
		return { record, verdicts };
	},
	async remove(id) {
		const record = await get<EvalRunRecord>(recordKey(id), db());
		const chunks = Array.from({ length: record?.chunks ?? 0 }, (_, n) => chunkKey(id, n));
		await delMany([...chunks, inputKey(id)], db());
		await del(recordKey(id), db());
		inputSaved.delete(id);
	}
};

// Batch runs kept in IndexedDB as they go (idb-keyval, a database of their own): the run record
// under `run/<id>`, its input (predictions text, generated answers) once under `run/<id>/input`
// and its verdicts in chunks under `run/<id>/<n>`, so a reload resumes a run where it stopped and
// a big run is never rewritten whole. `list` gives the records without their input, each with the
// approximate bytes it takes (`bytes`, kept up to date as it is saved). Storage errors (quota,
// disabled storage) reject with a message that says so; nothing is dropped silently, and a deletion
// is one transaction, so a run is either wholly kept or wholly gone.
import { createStore, delMany, get, keys, set, type UseStore } from 'idb-keyval';
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
	/** Every run's record without its input, newest first. */
	list(): Promise<EvalRunSummary[]>;
	load(id: string): Promise<StoredRun | null>;
	remove(id: string): Promise<void>;
	/** Deletes runs (record, input and verdicts) in one transaction: all of them or none. */
	removeMany(ids: readonly string[]): Promise<void>;
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

// What each run's parts take (JSON length, about their bytes), for the record's `bytes`.
const sizes = new Map<string, { input: number; chunks: Map<number, number> }>();
const sizeOf = (id: string) => {
	let size = sizes.get(id);
	if (!size) sizes.set(id, (size = { input: 0, chunks: new Map() }));
	return size;
};
const jsonBytes = (value: unknown) => JSON.stringify(value)?.length ?? 0;
const bytesOf = (id: string, record: unknown) => {
	const size = sizeOf(id);
	let total = size.input + jsonBytes(record);
	for (const n of size.chunks.values()) total += n;
	return total;
};

async function saveRecord(record: EvalRunRecord): Promise<void> {
	const { source, answers, ...rest } = record;
	if (!inputSaved.has(record.id) || (answers && !inputSaved.has(`${record.id}/answers`))) {
		const input: RunInput = { source: keyless(source), answers };
		await set(inputKey(record.id), input, db());
		inputSaved.add(record.id);
		if (answers) inputSaved.add(`${record.id}/answers`);
		sizeOf(record.id).input = jsonBytes(input);
	}
	// The list shows the record without the predictions text (it is in the input entry).
	const shown = source.kind === 'predictions' ? { kind: source.kind, text: '' } : keyless(source);
	const kept = { ...rest, source: shown };
	await set(recordKey(record.id), { ...kept, bytes: bytesOf(record.id, kept) }, db());
}

async function saveChunk(id: string, n: number, verdicts: (SampleVerdict | null)[]): Promise<void> {
	await set(chunkKey(id, n), verdicts, db());
	sizeOf(id).chunks.set(n, jsonBytes(verdicts));
}

// A record saved before sizes were kept: its size is read once from what is stored.
async function withBytes(record: EvalRunRecord): Promise<EvalRunRecord> {
	if (record.bytes !== undefined) return record;
	const parts = await Promise.all([
		get(inputKey(record.id), db()),
		...Array.from({ length: record.chunks }, (_, n) => get(chunkKey(record.id, n), db()))
	]);
	return {
		...record,
		bytes: parts.reduce((sum: number, p) => sum + jsonBytes(p), jsonBytes(record))
	};
}

async function removeMany(ids: readonly string[]): Promise<void> {
	const doomed: string[] = [];
	for (const id of ids) {
		const record = await get<EvalRunRecord>(recordKey(id), db());
		const chunks = Array.from({ length: record?.chunks ?? 0 }, (_, n) => chunkKey(id, n));
		doomed.push(...chunks, inputKey(id), recordKey(id));
	}
	// One transaction: a run is never left half deleted (a record without its input or verdicts).
	await delMany(doomed, db());
	for (const id of ids) {
		inputSaved.delete(id);
		inputSaved.delete(`${id}/answers`);
		sizes.delete(id);
	}
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
export function storageMessage(error: unknown, action: 'save' | 'delete' = 'save'): string {
	const message = error instanceof Error ? error.message : String(error);
	if (action === 'delete') {
		return `Could not delete the run from the browser's storage (${message}); it is kept as it was.`;
	}
	if (isQuotaError(error)) {
		return `The browser's storage is full: this run's progress could not be saved (${message}). Free space or delete old runs; the run itself goes on.`;
	}
	return `Could not save the run in the browser's storage: ${message}`;
}

async function guarded<T>(work: () => Promise<T>, action: 'save' | 'delete' = 'save'): Promise<T> {
	try {
		return await work();
	} catch (error) {
		throw new Error(storageMessage(error, action), { cause: error });
	}
}

/** The runs kept in this browser's IndexedDB. */
export const evalRunStore: EvalRunStore = {
	saveRecord: (record) => guarded(() => saveRecord(record)),
	saveChunk: (id, n, verdicts) => guarded(() => saveChunk(id, n, verdicts)),
	async list() {
		const all = (await keys(db())).map(String).filter((k) => k.split('/').length === 2);
		const records = await Promise.all(all.map((k) => get<EvalRunRecord>(k, db())));
		const found = records.filter((r): r is EvalRunRecord => r !== undefined);
		return (await Promise.all(found.map(withBytes))).sort((a, b) => b.updatedAt - a.updatedAt);
	},
	async load(id) {
		const record = await loadRecord(id);
		if (!record) return null;
		const verdicts: (SampleVerdict | undefined)[] = new Array(record.total);
		const size = sizeOf(id);
		size.input = jsonBytes({ source: record.source, answers: record.answers });
		for (let n = 0; n < record.chunks; n++) {
			const chunk = await get<(SampleVerdict | null)[]>(chunkKey(id, n), db());
			if (chunk) size.chunks.set(n, jsonBytes(chunk));
			chunk?.forEach((v, i) => {
				if (v) verdicts[n * runChunkSize + i] = v;
			});
		}
		return { record, verdicts };
	},
	remove: (id) => guarded(() => removeMany([id]), 'delete'),
	removeMany: (ids) => guarded(() => removeMany(ids), 'delete')
};

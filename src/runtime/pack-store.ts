// Task packs kept across reloads in IndexedDB (idb-keyval, a database of their own), beside the
// bundled packs, which are listed but never stored. Each pack is kept as two entries written in
// one transaction: its summary (listed without reading the pack) and the pack itself.
import { createStore, delMany, getMany, keys, setMany, type UseStore } from 'idb-keyval';
import type { PackFormat, TaskPack } from '../core/eval/pack.ts';
import { packCounts, type PackCounts } from '../core/eval/packs/pack-counts.ts';
import { bundledPacks } from '../data/packs/index.ts';
import { isQuotaError } from '../core/storage-quota.ts';

/** A pack as lists show it. */
export interface PackSummary {
	id: string;
	title: string;
	format: PackFormat;
	counts: PackCounts;
	/** `bundled`, or the file names it was imported from. */
	origin: string;
	/** Whether it ships with the app (cannot be removed). */
	bundled: boolean;
	/** When it was saved (ms since the epoch); absent for bundled packs. */
	savedAt?: number;
}

/** Saving or removing failed: storage full (`quota`), disabled or private, or a bundled pack. */
export class PackStoreError extends Error {
	override name = 'PackStoreError';
	constructor(
		message: string,
		readonly quota = false
	) {
		super(message);
	}
}

/** The key-value calls the store makes (idb-keyval's, over a store of its own). */
export interface PackBackend {
	keys(): Promise<string[]>;
	getMany(keys: string[]): Promise<unknown[]>;
	setMany(entries: [string, unknown][]): Promise<void>;
	delMany(keys: string[]): Promise<void>;
}

/** Packs: saved, listed, loaded and removed. */
export interface PackStore {
	/** Bundled packs first, then saved ones, newest first. */
	list(): Promise<PackSummary[]>;
	/** Saves (or replaces) a pack; throws {@link PackStoreError} when storage refuses it. */
	save(pack: TaskPack): Promise<PackSummary>;
	/** A bundled or saved pack by id, or undefined. */
	load(id: string): Promise<TaskPack | undefined>;
	/** Forgets a saved pack; a bundled one cannot be removed. */
	remove(id: string): Promise<void>;
}

/** idb-keyval over the database `execlab-packs`, store `packs`. */
export function idbPackBackend(
	store: UseStore = createStore('execlab-packs', 'packs')
): PackBackend {
	return {
		keys: () => keys<string>(store),
		getMany: (k) => getMany(k, store),
		setMany: (e) => setMany(e, store),
		delMany: (k) => delMany(k, store)
	};
}

const summaryKey = (id: string) => `summary:${id}`;
const packKey = (id: string) => `pack:${id}`;

/** A storage failure as a {@link PackStoreError} saying what happened. */
function storageError(e: unknown, doing: string): PackStoreError {
	const quota = isQuotaError(e);
	const detail = e instanceof Error ? e.message : String(e);
	return new PackStoreError(
		quota
			? `Browser storage is full: could not ${doing} (${detail}). Free space or remove other packs.`
			: `Could not ${doing}: ${detail}`,
		quota
	);
}

/** Summarises a pack for lists. */
export function summarisePack(pack: TaskPack, bundled: boolean, savedAt?: number): PackSummary {
	const { id, title, format, origin } = pack;
	return {
		id,
		title,
		format,
		counts: packCounts(pack),
		origin,
		bundled,
		...(savedAt === undefined ? {} : { savedAt })
	};
}

/** A pack store over a backend (default IndexedDB) and the bundled packs. */
export function createPackStore(
	backend: () => PackBackend = idbPackBackend,
	bundled: () => TaskPack[] = bundledPacks
): PackStore {
	let kv: PackBackend | null = null;
	const db = () => (kv ??= backend());
	const isBundled = (id: string) => bundled().some((p) => p.id === id);
	return {
		async list() {
			const fixed = bundled().map((p) => summarisePack(p, true));
			let saved: PackSummary[];
			try {
				const ids = (await db().keys()).filter((k) => k.startsWith('summary:'));
				saved = (await db().getMany(ids)) as PackSummary[];
			} catch (e) {
				throw storageError(e, 'list the saved packs');
			}
			saved.sort((a, b) => (b.savedAt ?? 0) - (a.savedAt ?? 0));
			return [...fixed, ...saved.filter(Boolean)];
		},
		async save(pack) {
			if (isBundled(pack.id)) throw new PackStoreError(`"${pack.title}" is bundled with the app`);
			const summary = summarisePack(pack, false, Date.now());
			try {
				await db().setMany([
					[packKey(pack.id), pack],
					[summaryKey(pack.id), summary]
				]);
			} catch (e) {
				throw storageError(e, `save the pack "${pack.title}"`);
			}
			return summary;
		},
		async load(id) {
			const fixed = bundled().find((p) => p.id === id);
			if (fixed) return fixed;
			try {
				const [pack] = await db().getMany([packKey(id)]);
				return (pack as TaskPack | undefined) ?? undefined;
			} catch (e) {
				throw storageError(e, 'load the pack');
			}
		},
		async remove(id) {
			if (isBundled(id)) throw new PackStoreError('A bundled pack cannot be removed');
			try {
				await db().delMany([packKey(id), summaryKey(id)]);
			} catch (e) {
				throw storageError(e, 'remove the pack');
			}
		}
	};
}

/** The app's pack store (IndexedDB `execlab-packs`, opened on first use). */
export const packStore: PackStore = createPackStore();

// Database files: the bundled samples (their list and bytes), database names taken from the names
// of a user's files, and saving a database as a .sqlite download.
import type { SqlSampleInfo } from '../../workers/protocol.ts';
import { downloadBlob } from '../lib/download.ts';

/** Lists the bundled sample databases of the samples folder at `samplesURL`. */
export async function listSamples(samplesURL: string | URL): Promise<SqlSampleInfo[]> {
	const res = await fetch(new URL('index.json', samplesURL));
	if (!res.ok) throw new Error(`Cannot list samples: ${res.status} ${res.statusText}`);
	return (await res.json()) as SqlSampleInfo[];
}

/** Fetches the .sqlite bytes of a bundled sample (e.g. "school", "shop"). */
export async function fetchSample(samplesURL: string | URL, name: string): Promise<Uint8Array> {
	const res = await fetch(new URL(`${encodeURIComponent(name)}.sqlite`, samplesURL));
	if (!res.ok) throw new Error(`Cannot load sample "${name}": ${res.status} ${res.statusText}`);
	return new Uint8Array(await res.arrayBuffer());
}

/** Turns a file name into a database name (letters, digits, _ and -), without its extension. */
export function dbNameFromFile(fileName: string): string {
	const base = fileName.replace(/\.(sqlite3?|db3?)$/i, '').replace(/[^A-Za-z0-9_-]+/g, '_');
	return base.replace(/^_+|_+$/g, '').slice(0, 48) || 'database';
}

/** Saves a database's bytes through the browser's download, as `<db>.sqlite` unless named. */
export function downloadDatabase(bytes: Uint8Array, db: string, fileName = `${db}.sqlite`): void {
	downloadBlob(new Blob([bytes as BlobPart], { type: 'application/vnd.sqlite3' }), fileName);
}

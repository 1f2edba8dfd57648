// Files a person hands the Eval tab — picked, a picked folder, or dropped (files, folders, a .zip)
// — read into the `{name, bytes}` list the pack importer takes, with paths kept relative to what
// was chosen (`spider/database/concert/concert.sqlite`), since the importer finds databases by path.
import type { PackFile } from '../../core/eval/pack.ts';

/** Reads picked files; a picked folder's files carry their path inside it. */
export async function readPickedFiles(files: Iterable<File>): Promise<PackFile[]> {
	const out: PackFile[] = [];
	for (const f of files) out.push(await readFile(f, f.webkitRelativePath || f.name));
	return sortByName(out);
}

/**
 * Reads what was dropped: files as they are, folders walked recursively. The entries are taken
 * from the DataTransfer synchronously (the browser empties it once the drop handler returns).
 */
export async function readDroppedFiles(data: DataTransfer): Promise<PackFile[]> {
	const entries: FileSystemEntry[] = [];
	const loose: File[] = [];
	for (const item of Array.from(data.items)) {
		if (item.kind !== 'file') continue;
		const entry = item.webkitGetAsEntry?.();
		if (entry) entries.push(entry);
		else {
			const f = item.getAsFile();
			if (f) loose.push(f);
		}
	}
	if (entries.length === 0 && loose.length === 0) loose.push(...Array.from(data.files));
	const out: PackFile[] = [];
	for (const entry of entries) await walk(entry, out);
	for (const f of loose) out.push(await readFile(f, f.name));
	return sortByName(out);
}

async function walk(entry: FileSystemEntry, out: PackFile[]): Promise<void> {
	if (entry.isFile) {
		const file = await new Promise<File>((resolve, reject) =>
			(entry as FileSystemFileEntry).file(resolve, reject)
		);
		out.push(await readFile(file, entry.fullPath.replace(/^\//, '')));
		return;
	}
	if (!entry.isDirectory) return;
	const reader = (entry as FileSystemDirectoryEntry).createReader();
	// readEntries hands out a directory in batches (100 in Chromium) until it returns none.
	for (;;) {
		const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
			reader.readEntries(resolve, reject)
		);
		if (batch.length === 0) break;
		for (const child of batch) await walk(child, out);
	}
}

async function readFile(file: File, name: string): Promise<PackFile> {
	return { name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

function sortByName(files: PackFile[]): PackFile[] {
	return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A short description of a file list for messages (`3 files, 1.2 MB`). */
export function describeFiles(files: readonly PackFile[]): string {
	const bytes = files.reduce((n, f) => n + f.bytes.length, 0);
	const size =
		bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} kB`;
	return `${files.length} file${files.length === 1 ? '' : 's'}, ${size}`;
}

// Telling a pack's benchmark from its files: the keys of the first record of each JSON / JSON Lines
// file (HumanEval has entry_point, MBPP test_list, BIRD SQL, Spider query), then file names.
import type { PackFile, PackFormat } from '../pack.ts';
import { isDatabaseFile } from './pack-databases.ts';
import { PackError } from './pack-error.ts';
import { baseName } from './pack-text.ts';

/** The pack's JSON and JSON Lines files (not its databases). */
export function recordFiles(files: readonly PackFile[]): PackFile[] {
	return files.filter((f) => !isDatabaseFile(f.name) && /\.jsonl?$/i.test(f.name));
}

/** The keys of a file's first record, or null when it does not read as JSON records. */
function firstRecordKeys(file: PackFile): string[] | null {
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(file.bytes);
	} catch {
		return null;
	}
	try {
		const trimmed = text.trimStart();
		const first: unknown = trimmed.startsWith('[')
			? (JSON.parse(trimmed) as unknown[])[0]
			: JSON.parse(trimmed.slice(0, (trimmed.indexOf('\n') + 1 || trimmed.length + 1) - 1));
		return typeof first === 'object' && first !== null ? Object.keys(first) : null;
	} catch {
		return null;
	}
}

/** The format the keys of a first record belong to. */
function formatOfKeys(keys: readonly string[]): PackFormat | null {
	if (keys.includes('entry_point')) return 'humaneval';
	if (keys.includes('test_list')) return 'mbpp';
	if (keys.includes('SQL') && keys.includes('db_id')) return 'bird';
	if (keys.includes('query') && keys.includes('db_id')) return 'spider';
	return null;
}

/** The pack's format, from its records' keys, else from file names; else a clear error. */
export function detectFormat(files: readonly PackFile[]): PackFormat {
	const candidates = recordFiles(files);
	for (const file of candidates) {
		const keys = firstRecordKeys(file);
		const format = keys && formatOfKeys(keys);
		if (format) return format;
	}
	// Files that do not parse still say what they mean to be by name; the reader then names the problem.
	for (const file of candidates) {
		const name = baseName(file.name).toLowerCase();
		if (name.includes('humaneval')) return 'humaneval';
		if (name.includes('mbpp')) return 'mbpp';
	}
	const names = files.map((f) => f.name);
	throw new PackError(
		{ file: names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '') || '(no files)' },
		'cannot tell which benchmark this pack is: expected HumanEval JSONL (task_id, prompt, ' +
			'entry_point…), MBPP JSONL or sanitized JSON (task_id, test_list…), Spider dev.json + ' +
			'tables.json + databases (db_id, query…), or BIRD dev.json + databases (db_id, SQL…)'
	);
}

/**
 * The one file among `files` that a format reads: those whose name matches the first of `prefer`
 * that any matches, else all but the excluded; exactly one must be left. `what` names it in errors.
 */
export function pickFile(
	files: readonly PackFile[],
	what: string,
	prefer: readonly RegExp[],
	exclude?: RegExp
): PackFile {
	const usable = files.filter((f) => !exclude?.test(baseName(f.name)));
	let pool = usable;
	for (const pattern of prefer) {
		const preferred = usable.filter((f) => pattern.test(baseName(f.name)));
		if (preferred.length) {
			pool = preferred;
			break;
		}
	}
	if (pool.length === 1) return pool[0];
	const listed = files.map((f) => f.name).join(', ');
	throw new PackError(
		{ file: listed || '(no files)' },
		pool.length ? `more than one file could be the ${what}` : `no ${what} in the pack`
	);
}

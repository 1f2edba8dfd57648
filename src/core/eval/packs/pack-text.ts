// Reading a pack's files: bytes to text (UTF-8, refused otherwise), JSON and JSON Lines with the
// position of a syntax error, and archives (.zip, .gz) opened into their files.
import { gunzipSync, unzipSync } from 'fflate';
import type { PackFile } from '../pack.ts';
import { PackError } from './pack-error.ts';

/** A file's text; bytes that are not UTF-8 are an error naming the file and the byte. */
export function packText(file: PackFile): string {
	try {
		return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(file.bytes);
	} catch {
		throw new PackError({ file: file.name }, `not UTF-8 text (${describeBytes(file.bytes)})`);
	}
}

function describeBytes(bytes: Uint8Array): string {
	const mb = bytes.length / 1e6;
	return mb >= 1 ? `${mb.toFixed(1)} MB` : `${bytes.length} bytes`;
}

/** The 1-based line and column of a character offset. */
function lineColumn(text: string, offset: number): string {
	let line = 1;
	let start = 0;
	for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
		line++;
		start = i + 1;
	}
	return `line ${line}, column ${offset - start + 1}`;
}

/** JSON.parse with an error naming the file and where the syntax broke (truncated files too). */
export function parsePackJson(file: string, text: string): unknown {
	try {
		return JSON.parse(text);
	} catch (e) {
		const message = e instanceof Error ? e.message : String(e);
		const at = /position (\d+)/.exec(message);
		const where = at ? ` at ${lineColumn(text, Number(at[1]))}` : '';
		const truncated = /end of JSON input|Unterminated/i.test(message) ? ' (truncated?)' : '';
		throw new PackError({ file }, `invalid JSON${where}${truncated}: ${message}`);
	}
}

/** The records of a JSON Lines file with their 1-based line numbers; blank lines skipped. */
export function parsePackJsonl(file: string, text: string): { line: number; record: unknown }[] {
	const out: { line: number; record: unknown }[] = [];
	const lines = text.split('\n');
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i];
		if (!line.trim()) continue;
		try {
			out.push({ line: i + 1, record: JSON.parse(line) });
		} catch (e) {
			const message = e instanceof Error ? e.message : String(e);
			throw new PackError({ file, line: i + 1 }, `invalid JSON: ${message}`);
		}
	}
	return out;
}

/** The records of a JSON file that must hold an array. */
export function parsePackJsonArray(file: string, text: string): unknown[] {
	const value = parsePackJson(file, text);
	if (!Array.isArray(value)) {
		throw new PackError({ file }, `expected a JSON array of records, got ${typeName(value)}`);
	}
	return value;
}

/** Python-ish name of a JSON value's type, for messages. */
export function typeName(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The files of a pack with every `.zip` opened into its entries and every `.gz` decompressed. */
export function expandArchives(files: readonly PackFile[]): PackFile[] {
	const out: PackFile[] = [];
	for (const file of files) {
		if (/\.zip$/i.test(file.name)) {
			let entries: Record<string, Uint8Array>;
			try {
				entries = unzipSync(file.bytes);
			} catch (e) {
				throw new PackError({ file: file.name }, `not a readable zip archive (${String(e)})`);
			}
			for (const [name, bytes] of Object.entries(entries)) {
				// Folders and macOS resource forks are not files of the pack.
				if (name.endsWith('/') || /(^|\/)__MACOSX\//.test(name)) continue;
				out.push({ name: `${file.name}/${name}`, bytes });
			}
		} else if (/\.gz$/i.test(file.name)) {
			try {
				out.push({ name: file.name.replace(/\.gz$/i, ''), bytes: gunzipSync(file.bytes) });
			} catch (e) {
				throw new PackError({ file: file.name }, `not readable gzip data (${String(e)})`);
			}
		} else out.push(file);
	}
	return out;
}

/** The last path segment of a file name. */
export const baseName = (name: string): string => name.slice(name.lastIndexOf('/') + 1);

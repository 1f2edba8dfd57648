// parsePack: a task pack from the files a user picked or dropped (or the embed API sent): archives
// opened, the format told from the records when not given, every record validated, an id hashed.
import type { PackFile, PackFormat, TaskPack } from '../pack.ts';
import { readBird } from './bird-pack.ts';
import { detectFormat, pickFile, recordFiles } from './detect-format.ts';
import { readHumanEval } from './humaneval-pack.ts';
import { readMbpp } from './mbpp-pack.ts';
import { PackError } from './pack-error.ts';
import { baseName, expandArchives } from './pack-text.ts';
import { readSpider } from './spider-pack.ts';

/** What {@link parsePack} reads. */
export interface PackInput {
	/** The benchmark; told from the files when absent. */
	format?: PackFormat;
	/** The files as picked: JSON / JSONL, `.gz`, `.zip`, `.sqlite` (names with their folders). */
	files: PackFile[];
	/** The title shown; default the format and the main file's name. */
	title?: string;
}

const formatNames: Record<PackFormat, string> = {
	humaneval: 'HumanEval',
	mbpp: 'MBPP',
	spider: 'Spider',
	bird: 'BIRD'
};

/** Reads a pack; a bad one throws a {@link PackError} naming the file, record, field and problem. */
export async function parsePack(input: PackInput): Promise<TaskPack> {
	if (!input.files.length) throw new PackError({ file: '(no files)' }, 'the pack has no files');
	const files = expandArchives(input.files);
	const format = input.format ?? detectFormat(files);
	const texts = recordFiles(files);
	let main: PackFile;
	let body;
	if (format === 'humaneval') {
		main = pickFile(texts, 'HumanEval JSONL file', [/humaneval/i, /\.jsonl$/i]);
		body = readHumanEval(main);
	} else if (format === 'mbpp') {
		main = pickFile(texts, 'MBPP file', [/mbpp/i]);
		body = readMbpp(main);
	} else if (format === 'spider') {
		const tables = pickFile(
			texts,
			'Spider tables.json',
			[/^tables\.json$/i, /tables/i],
			/\.jsonl$/i
		);
		main = pickFile(texts, 'Spider dev.json', [/^dev\.json$/i, /dev/i], /tables|\.jsonl$/i);
		body = readSpider(main, tables, files);
	} else {
		main = pickFile(texts, 'BIRD dev.json', [/^dev\.json$/i, /dev/i], /tables|\.jsonl$/i);
		body = readBird(main, files);
	}
	const id = await packId(files);
	const origin = input.files.map((f) => baseName(f.name)).join(', ');
	return {
		id,
		title: input.title ?? `${formatNames[format]}: ${baseName(main.name)}`,
		origin: origin.length > 200 ? `${origin.slice(0, 199)}…` : origin,
		...body
	};
}

/**
 * The pack's id: SHA-256 (hex) of its files in name order, each as its name, a NUL, its length
 * and its bytes; the same files give the same id whether picked one by one or zipped.
 */
export async function packId(files: readonly PackFile[]): Promise<string> {
	const encoder = new TextEncoder();
	const sorted = [...files]
		.map((f) => ({ name: f.name.replace(/^[^/]+\.zip\//i, ''), bytes: f.bytes }))
		.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	const parts: Uint8Array[] = [];
	for (const f of sorted) {
		parts.push(encoder.encode(`${f.name}\0${f.bytes.length}\0`), f.bytes);
	}
	const total = parts.reduce((n, p) => n + p.length, 0);
	const all = new Uint8Array(total);
	let at = 0;
	for (const p of parts) {
		all.set(p, at);
		at += p.length;
	}
	const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
	return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

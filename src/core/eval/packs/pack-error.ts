import type { z } from 'zod';

/** Where in a pack a problem is: the file, and when known the record, its id and the field. */
export interface PackErrorPlace {
	file: string;
	/** 0-based record index (or the 1-based line for JSON Lines, in `line`). */
	record?: number;
	/** 1-based line of a JSON Lines file. */
	line?: number;
	/** The record's own id (task_id, question_id, db_id) when it has one. */
	recordId?: string | number;
	/** The field's path, dotted (`test_list.2`). */
	field?: string;
}

/** A pack that cannot be imported; the message names the file, record, field and problem. */
export class PackError extends Error {
	override name = 'PackError';
	constructor(
		readonly place: PackErrorPlace,
		readonly problem: string
	) {
		super(describePlace(place) + problem);
	}
}

/** `mbpp.jsonl, line 3 (task_id 12), field "test_list": ` and the like. */
function describePlace(place: PackErrorPlace): string {
	const parts = [place.file];
	if (place.line !== undefined) parts.push(`line ${place.line}`);
	else if (place.record !== undefined) parts.push(`record ${place.record}`);
	let text = parts.join(', ');
	if (place.recordId !== undefined) text += ` (${place.recordId})`;
	if (place.field) text += `, field "${place.field}"`;
	return text + ': ';
}

/** The record's own id for error messages: `task_id 12`, `question_id 3`, else nothing. */
export function recordIdOf(record: unknown): string | undefined {
	if (typeof record !== 'object' || record === null) return undefined;
	for (const key of ['task_id', 'question_id']) {
		const value = (record as Record<string, unknown>)[key];
		if (typeof value === 'string' || typeof value === 'number') {
			return `${key} ${JSON.stringify(value)}`;
		}
	}
	return undefined;
}

/** Validates one record with a zod schema; a failure throws a {@link PackError} naming the field. */
export function validateRecord<T>(schema: z.ZodType<T>, record: unknown, place: PackErrorPlace): T {
	const parsed = schema.safeParse(record);
	if (parsed.success) return parsed.data;
	const issue = parsed.error.issues[0];
	const recordId = place.recordId ?? recordIdOf(record);
	const field = issue?.path.map(String).join('.') || undefined;
	throw new PackError(
		{ ...place, ...(recordId === undefined ? {} : { recordId }), ...(field ? { field } : {}) },
		issue?.message ?? 'invalid record'
	);
}

import { z } from 'zod';
import type { PythonTask } from '../trace/events.ts';

/** A line of `mbpp.jsonl` (google-research/google-research mbpp/README.md). */
export const mbppSchema = z.object({
	text: z.string(),
	code: z.string(),
	task_id: z.number().int(),
	test_setup_code: z.string().default(''),
	test_list: z.array(z.string()),
	challenge_test_list: z.array(z.string()).default([])
});
/** A line of `mbpp.jsonl`. */
export type MbppItem = z.infer<typeof mbppSchema>;

/** An item of `sanitized-mbpp.json`. */
export const sanitizedMbppSchema = z.object({
	source_file: z.string().optional(),
	task_id: z.number().int(),
	prompt: z.string(),
	code: z.string(),
	test_imports: z.array(z.string()).default([]),
	test_list: z.array(z.string())
});
/** An item of `sanitized-mbpp.json`. */
export type SanitizedMbppItem = z.infer<typeof sanitizedMbppSchema>;

/** Parses JSON Lines, validating each line; errors name the line. */
export function parseJsonl<T>(text: string, schema: z.ZodType<T>): T[] {
	const out: T[] = [];
	text.split('\n').forEach((line, i) => {
		if (!line.trim()) return;
		const parsed = schema.safeParse(JSON.parse(line));
		if (!parsed.success)
			throw new TypeError(
				`line ${i + 1}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`
			);
		out.push(parsed.data);
	});
	return out;
}

/** Reads `mbpp.jsonl`. */
export const importMbpp = (text: string): MbppItem[] => parseJsonl(text, mbppSchema);

/** Reads `sanitized-mbpp.json`. */
export function importSanitizedMbpp(text: string): SanitizedMbppItem[] {
	return z.array(sanitizedMbppSchema).parse(JSON.parse(text));
}

/** An MBPP item as an agent task (the reference solution kept as gold, CRLF normalised). */
export function mbppTask(item: MbppItem | SanitizedMbppItem): PythonTask {
	const setup = 'text' in item ? item.test_setup_code : item.test_imports.join('\n');
	return {
		id: `mbpp/${item.task_id}`,
		description: 'text' in item ? item.text : item.prompt,
		tests: item.test_list,
		...(setup ? { setup } : {}),
		gold: item.code.replace(/\r\n/g, '\n')
	};
}

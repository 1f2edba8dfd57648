import { z } from 'zod';
import type { SqlTask } from '../trace/events.ts';
import { writeSpiderPredictions } from '../eval/prediction-files.ts';

/** An item of Spider's `dev.json` (taoyds/spider README); the parsed `sql` tree is kept opaque. */
export const spiderItemSchema = z.object({
	db_id: z.string(),
	question: z.string(),
	query: z.string(),
	question_toks: z.array(z.string()).optional(),
	query_toks: z.array(z.string()).optional(),
	sql: z.unknown().optional()
});
/** An item of Spider's `dev.json`. */
export type SpiderItem = z.infer<typeof spiderItemSchema>;

/** An entry of Spider's `tables.json`. */
export const spiderTablesSchema = z.object({
	db_id: z.string(),
	table_names_original: z.array(z.string()),
	table_names: z.array(z.string()).optional(),
	column_names_original: z.array(z.tuple([z.number(), z.string()])),
	column_names: z.array(z.tuple([z.number(), z.string()])).optional(),
	column_types: z.array(z.string()),
	foreign_keys: z.array(z.tuple([z.number(), z.number()])),
	primary_keys: z.array(z.union([z.number(), z.array(z.number())]))
});
/** An entry of Spider's `tables.json`. */
export type SpiderTables = z.infer<typeof spiderTablesSchema>;

/** Reads Spider's `dev.json`. */
export const importSpider = (text: string): SpiderItem[] =>
	z.array(spiderItemSchema).parse(JSON.parse(text));

/** Reads Spider's `tables.json`. */
export const importSpiderTables = (text: string): SpiderTables[] =>
	z.array(spiderTablesSchema).parse(JSON.parse(text));

/** A Spider item as an agent task; its database is opened under its db_id. */
export function spiderTask(item: SpiderItem, index: number): SqlTask {
	return { id: `spider/${index}`, question: item.question, db: item.db_id, gold: item.query };
}

/** Spider's gold file: one `SQL\tdb_id` per line. */
export function exportSpiderGold(items: readonly SpiderItem[]): string {
	return items.map((i) => `${oneLine(i.query)}\t${i.db_id}`).join('\n') + '\n';
}

/** Spider's prediction file: one SQL per line, in the dev order (see {@link writeSpiderPredictions}). */
export function exportSpiderPredictions(predictions: readonly string[]): string {
	return writeSpiderPredictions(predictions);
}

/** SQL on one line, as the evaluator reads files line by line. */
export const oneLine = (sql: string) => sql.replace(/\s*\n\s*/g, ' ').trim();

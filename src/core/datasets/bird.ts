import { z } from 'zod';
import type { SqlTask } from '../trace/events.ts';
import { writeBirdPredictions } from '../eval/prediction-files.ts';
import { oneLine } from './spider.ts';

/** An item of BIRD's `dev.json` (DAMO-ConvAI bird/README.md; question_id/difficulty optional). */
export const birdItemSchema = z.object({
	question_id: z.number().int().optional(),
	db_id: z.string(),
	question: z.string(),
	evidence: z.string().default(''),
	SQL: z.string(),
	difficulty: z.string().optional()
});
/** An item of BIRD's `dev.json`. */
export type BirdItem = z.infer<typeof birdItemSchema>;

/** Reads BIRD's `dev.json`. */
export const importBird = (text: string): BirdItem[] =>
	z.array(birdItemSchema).parse(JSON.parse(text));

/** A BIRD item as an agent task; the evidence goes to the prompt as external knowledge. */
export function birdTask(item: BirdItem, index: number): SqlTask {
	return {
		id: `bird/${item.question_id ?? index}`,
		question: item.question,
		db: item.db_id,
		...(item.evidence ? { evidence: item.evidence } : {}),
		gold: item.SQL
	};
}

/** BIRD's prediction file: `{idx: "SQL\t----- bird -----\tdb_id"}` (see {@link writeBirdPredictions}). */
export function exportBirdPredictions(predictions: readonly { sql: string; db: string }[]): string {
	return writeBirdPredictions(
		predictions.map((p) => p.sql),
		predictions.map((p) => p.db)
	);
}

/** BIRD's gold file `dev_gold.sql`: `SQL\tdb_id` per line. */
export function exportBirdGold(items: readonly BirdItem[]): string {
	return items.map((i) => `${oneLine(i.SQL)}\t${i.db_id}`).join('\n') + '\n';
}

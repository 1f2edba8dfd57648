// BIRD packs: `dev.json` (question_id, db_id, question, evidence, SQL, difficulty) and the
// databases (`dev_databases/<db_id>/<db_id>.sqlite`). Question ids kept.
import { birdItemSchema, type BirdItem } from '../../datasets/bird.ts';
import type { PackDatabase, PackFile } from '../pack.ts';
import { packDatabases } from './pack-databases.ts';
import { PackError, validateRecord } from './pack-error.ts';
import { packText, parsePackJsonArray } from './pack-text.ts';

/** A BIRD pack's records. */
export interface BirdPackBody {
	format: 'bird';
	items: BirdItem[];
	databases: PackDatabase[];
}

/** Reads BIRD's dev file; every db_id must have its database in the pack. */
export function readBird(dev: PackFile, files: PackFile[]): BirdPackBody {
	const ids = new Set<number>();
	const items = parsePackJsonArray(dev.name, packText(dev)).map((record, i) => {
		const item = validateRecord(birdItemSchema, record, { file: dev.name, record: i });
		if (!item.SQL.trim()) {
			throw new PackError({ file: dev.name, record: i, field: 'SQL' }, 'the gold query is empty');
		}
		if (item.question_id !== undefined) {
			if (ids.has(item.question_id)) {
				throw new PackError(
					{ file: dev.name, record: i, field: 'question_id' },
					`question_id ${item.question_id} appears twice`
				);
			}
			ids.add(item.question_id);
		}
		return item;
	});
	if (!items.length) throw new PackError({ file: dev.name }, 'no questions in the file');
	const needed = items.map((item, record) => ({ dbId: item.db_id, file: dev.name, record }));
	return { format: 'bird', items, databases: packDatabases(files, needed) };
}

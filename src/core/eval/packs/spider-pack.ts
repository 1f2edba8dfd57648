// Spider packs: `dev.json` (db_id, question, query, and the parsed `sql` tree that hardness reads),
// `tables.json`, and the databases (`database/<db_id>/*.sqlite`). Questions keep their dev order,
// which is their id (Spider has no other).
import {
	spiderItemSchema,
	spiderTablesSchema,
	type SpiderItem,
	type SpiderTables
} from '../../datasets/spider.ts';
import type { PackDatabase, PackFile } from '../pack.ts';
import { packDatabases } from './pack-databases.ts';
import { PackError, validateRecord } from './pack-error.ts';
import { packText, parsePackJsonArray } from './pack-text.ts';

/** A Spider pack's records. */
export interface SpiderPackBody {
	format: 'spider';
	items: SpiderItem[];
	tables: SpiderTables[];
	databases: PackDatabase[];
}

/** Reads Spider's dev file and tables file; every db_id must have its schema and its database. */
export function readSpider(dev: PackFile, tablesFile: PackFile, files: PackFile[]): SpiderPackBody {
	const items = parsePackJsonArray(dev.name, packText(dev)).map((record, i) => {
		const item = validateRecord(spiderItemSchema, record, { file: dev.name, record: i });
		if (!item.query.trim()) {
			throw new PackError({ file: dev.name, record: i, field: 'query' }, 'the gold query is empty');
		}
		return item;
	});
	if (!items.length) throw new PackError({ file: dev.name }, 'no questions in the file');
	const used = new Set(items.map((item) => item.db_id));
	const tables = parsePackJsonArray(tablesFile.name, packText(tablesFile))
		.map((record, i) =>
			validateRecord(spiderTablesSchema, record, { file: tablesFile.name, record: i })
		)
		.filter((t) => used.has(t.db_id));
	const described = new Set(tables.map((t) => t.db_id));
	items.forEach((item, i) => {
		if (!described.has(item.db_id)) {
			throw new PackError(
				{ file: dev.name, record: i, field: 'db_id' },
				`"${item.db_id}" has no schema in ${tablesFile.name}`
			);
		}
	});
	const needed = items.map((item, record) => ({ dbId: item.db_id, file: dev.name, record }));
	return { format: 'spider', items, tables, databases: packDatabases(files, needed) };
}

// MBPP packs: the original `mbpp.jsonl` (google-research mbpp: text, code, task_id,
// test_setup_code, test_list, challenge_test_list) or the sanitized `sanitized-mbpp.json` array
// (prompt, code, task_id, test_imports, test_list). Task ids kept.
import {
	mbppSchema,
	sanitizedMbppSchema,
	type MbppItem,
	type SanitizedMbppItem
} from '../../datasets/mbpp.ts';
import type { PackFile } from '../pack.ts';
import { PackError, validateRecord, type PackErrorPlace } from './pack-error.ts';
import { packText, parsePackJsonArray, parsePackJsonl } from './pack-text.ts';

type MbppTask = MbppItem | SanitizedMbppItem;

/** Reads the tasks of an MBPP file (JSON Lines, or the sanitized JSON array). */
export function readMbpp(file: PackFile): { format: 'mbpp'; tasks: MbppTask[] } {
	const text = packText(file);
	const sanitized = text.trimStart().startsWith('[');
	const records: { place: PackErrorPlace; record: unknown }[] = sanitized
		? parsePackJsonArray(file.name, text).map((record, i) => ({
				place: { file: file.name, record: i },
				record
			}))
		: parsePackJsonl(file.name, text).map(({ line, record }) => ({
				place: { file: file.name, line },
				record
			}));
	const schema = sanitized ? sanitizedMbppSchema : mbppSchema;
	const tasks: MbppTask[] = [];
	const ids = new Set<number>();
	for (const { place, record } of records) {
		const task = validateRecord<MbppTask>(schema, record, place);
		if (ids.has(task.task_id)) {
			throw new PackError(
				{ ...place, field: 'task_id', recordId: `task_id ${task.task_id}` },
				'this task_id appears twice'
			);
		}
		if (!task.test_list.length) {
			throw new PackError(
				{ ...place, field: 'test_list', recordId: `task_id ${task.task_id}` },
				'no tests: the list is empty'
			);
		}
		ids.add(task.task_id);
		tasks.push(task);
	}
	if (!tasks.length) throw new PackError({ file: file.name }, 'no tasks in the file');
	return { format: 'mbpp', tasks };
}

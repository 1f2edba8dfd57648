// HumanEval packs: `HumanEval.jsonl` (or `.jsonl.gz`, opened before this) as openai/human-eval
// ships it, one problem a line, task ids kept.
import { humanEvalSchema, type HumanEvalProblem } from '../../datasets/humaneval.ts';
import type { PackFile } from '../pack.ts';
import { PackError, validateRecord } from './pack-error.ts';
import { packText, parsePackJsonl } from './pack-text.ts';

/** Reads the problems of a HumanEval JSONL file; an error names the line, task_id and field. */
export function readHumanEval(file: PackFile): {
	format: 'humaneval';
	problems: HumanEvalProblem[];
} {
	const problems: HumanEvalProblem[] = [];
	const ids = new Set<string>();
	for (const { line, record } of parsePackJsonl(file.name, packText(file))) {
		const problem = validateRecord(humanEvalSchema, record, { file: file.name, line });
		if (ids.has(problem.task_id)) {
			throw new PackError(
				{ file: file.name, line, field: 'task_id', recordId: `task_id "${problem.task_id}"` },
				'this task_id appears twice'
			);
		}
		ids.add(problem.task_id);
		problems.push(problem);
	}
	if (!problems.length) throw new PackError({ file: file.name }, 'no problems in the file');
	return { format: 'humaneval', problems };
}

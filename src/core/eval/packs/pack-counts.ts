import type { TaskPack } from '../pack.ts';

/** How much a pack holds, as lists show it. */
export interface PackCounts {
	/** Problems, tasks or questions. */
	tasks: number;
	/** Databases (SQL packs; 0 for Python packs). */
	databases: number;
}

/** Counts a pack's tasks and databases. */
export function packCounts(pack: TaskPack): PackCounts {
	switch (pack.format) {
		case 'humaneval':
			return { tasks: pack.problems.length, databases: 0 };
		case 'mbpp':
			return { tasks: pack.tasks.length, databases: 0 };
		default:
			return { tasks: pack.items.length, databases: pack.databases.length };
	}
}

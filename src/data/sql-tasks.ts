import tasks from './sql-tasks.json';

/** A text-to-SQL demo task over a bundled sample database; its gold query is verified by a unit test. */
export interface SqlTask {
	id: string;
	/** Sample database name (public/samples/<db>.sqlite). */
	db: 'school' | 'shop';
	difficulty: 'easy' | 'medium' | 'hard';
	question: string;
	/** A query whose result is the answer (compare as a set of rows unless the question orders them). */
	gold: string;
}

/** The demo tasks, in display order. */
export const sqlTasks = tasks as SqlTask[];

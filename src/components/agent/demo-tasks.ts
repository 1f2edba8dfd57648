import pythonTaskData from '../../data/python-tasks.json';
import { sqlTasks } from '../../data/sql-tasks.ts';
import type { AgentTask } from '../../core/trace/events.ts';

/** A task offered in the Agent tab's task picker. */
export interface DemoTask {
	id: string;
	title: string;
	task: AgentTask;
}

/** An MBPP-format Python task as bundled in src/data/python-tasks.json. */
interface MbppTask {
	task_id: number;
	text: string;
	code: string;
	test_list: string[];
	test_setup_code?: string;
}

const shorten = (text: string, max = 60) =>
	text.length > max ? `${text.slice(0, max - 1)}…` : text;

/** The bundled tasks (ours): SQL questions over the sample databases and MBPP-style Python tasks. */
export const demoTasks: DemoTask[] = [
	...sqlTasks.map((t) => ({
		id: t.id,
		title: `${t.db}: ${shorten(t.question)}`,
		task: { id: t.id, question: t.question, db: t.db, gold: t.gold }
	})),
	...(pythonTaskData as MbppTask[]).map((t) => {
		const id = `python-${String(t.task_id).padStart(2, '0')}`;
		const entry = /^def\s+(\w+)/m.exec(t.code)?.[1];
		return {
			id,
			title: shorten(t.text.replace(/^Write a function to /, '')),
			task: {
				id,
				description: t.text,
				tests: t.test_list,
				...(t.test_setup_code ? { setup: t.test_setup_code } : {}),
				...(entry ? { entryPoint: entry } : {})
			}
		};
	})
];

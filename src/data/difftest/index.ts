import type { PythonTask } from '../../core/trace/events.ts';
import codearcData from './codearc-tasks.json';
import mokavData from './mokav-tasks.json';

// Differential-testing tasks of our own making (issue 12 §4): the hidden functions and the program
// pairs were written for ExecLab, none comes from a dataset.

/** A bundled differential-testing task and the preset it is played with. */
export interface DifftestTask {
	id: string;
	title: string;
	preset: 'mokav' | 'codearc';
	/** The task in author form (CodeARC: with its hidden function). */
	task: PythonTask;
}

const entry =
	(preset: DifftestTask['preset']) => (t: PythonTask & { id: string; title: string }) => {
		const { title, ...task } = t;
		return { id: t.id, title, preset, task };
	};

/** The bundled CodeARC tasks (6 hidden functions). */
export const codearcTasks: DifftestTask[] = codearcData.map(entry('codearc'));
/** The bundled Mokav tasks (4 pairs of versions). */
export const mokavTasks: DifftestTask[] = mokavData.map(entry('mokav'));

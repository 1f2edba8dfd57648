import type { AgentTask, PythonTask } from '../core/trace/events.ts';
import { loadText, saveText } from './persistence.ts';

const storageKey = 'agent-task';

/** The task form of the Agent tab: an SQL question over a database, or a Python exercise with tests. */
export class AgentTaskDraft {
	kind = $state<'sql' | 'python'>('sql');
	/** Id of the picked bundled task, '' when typed by hand. */
	taskId = $state('');
	question = $state('');
	db = $state('school');
	evidence = $state('');
	/** Reference SQL or code; gives a reward when set. */
	gold = $state('');
	description = $state('');
	/** One assert per line. */
	tests = $state('');
	entryPoint = $state('');
	/** A differential-testing episode's programs (Mokav) or hidden function (CodeARC); null otherwise. */
	difftest = $state<Pick<PythonTask, 'mokav' | 'codearc'> | null>(null);

	constructor() {
		try {
			const saved = JSON.parse(loadText(storageKey) ?? 'null') as {
				taskId?: string;
				task?: AgentTask;
			} | null;
			if (saved?.task) this.fill(saved.task, saved.taskId ?? '');
		} catch {
			// A damaged saved task leaves the form empty.
		}
	}

	/** Fills the form from a task (bundled, or the one of a loaded trace). */
	fill(task: AgentTask, taskId = ''): void {
		this.taskId = taskId;
		if ('question' in task) {
			this.kind = 'sql';
			this.question = task.question;
			this.db = task.db;
			this.evidence = task.evidence ?? '';
			this.gold = task.gold ?? '';
		} else {
			this.kind = 'python';
			this.description = task.description;
			this.tests = task.tests.join('\n');
			this.entryPoint = task.entryPoint ?? '';
			this.gold = task.gold ?? '';
		}
		const { mokav, codearc } = task as PythonTask;
		this.difftest = mokav ? { mokav } : codearc ? { codearc } : null;
	}

	/** The task as the loop takes it; throws a readable error when a required field is empty. */
	toTask(): AgentTask {
		const opt = (key: string, value: string) => (value.trim() ? { [key]: value.trim() } : {});
		const id = opt('id', this.taskId);
		if (this.kind === 'sql') {
			if (!this.question.trim()) throw new Error('Type a question for the SQL task.');
			if (!this.db) throw new Error('Pick a database for the SQL task.');
			return {
				...id,
				question: this.question.trim(),
				db: this.db,
				...opt('evidence', this.evidence),
				...opt('gold', this.gold)
			};
		}
		if (!this.description.trim()) throw new Error('Describe the Python task.');
		const tests = this.tests
			.split('\n')
			.map((l) => l.trim())
			.filter(Boolean);
		// A plain copy: the task is stored (IndexedDB) and cloned, which a $state proxy cannot be.
		if (this.difftest)
			return {
				...id,
				description: this.description.trim(),
				tests,
				...$state.snapshot(this.difftest)
			};
		if (tests.length === 0) throw new Error('Give at least one test (one assert per line).');
		return {
			...id,
			description: this.description.trim(),
			tests,
			...opt('gold', this.gold),
			...opt('entryPoint', this.entryPoint)
		};
	}

	/** Remembers the form across reloads. */
	save(): void {
		try {
			saveText(storageKey, JSON.stringify({ taskId: this.taskId, task: this.toTask() }));
		} catch {
			// An incomplete form is not worth saving.
		}
	}
}

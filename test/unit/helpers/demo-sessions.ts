import pythonTasks from '../../../src/data/python-tasks.json' with { type: 'json' };
import { mbppTask } from '../../../src/core/datasets/mbpp.ts';
import type { PresetId } from '../../../src/core/presets/types.ts';
import type { AgentTask } from '../../../src/core/trace/events.ts';
import type { ScriptedReply } from './recorded-provider.ts';

/** A demo session of our own: a task on the bundled `school` database or tasks, and the model's replies. */
export interface DemoSession {
	preset: PresetId;
	mode: 'chat' | 'completion';
	task: AgentTask;
	replies: ScriptedReply[];
}

const call = (id: string, name: string, args: Record<string, string>) => ({
	id,
	name,
	arguments: JSON.stringify(args)
});

/** One recorded session per preset (written by us; SQL ones use the generated `school` sample). */
export const demoSessions: DemoSession[] = [
	{
		preset: 'skyrl-sql',
		mode: 'completion',
		task: {
			id: 'school/shared-buildings',
			question: 'Which buildings host more than one department?',
			db: 'school',
			gold: 'SELECT building FROM departments GROUP BY building HAVING count(*) > 1'
		},
		replies: [
			{
				text: '<think>I need the number of departments in each building.</think>\n<sql>SELECT building, count(*) FROM departments GROUP BY building</sql>'
			},
			{
				text: '<think>Lab Wing and West Hall have two departments each; the others have one.</think>\n<solution>SELECT building FROM departments GROUP BY building HAVING count(*) > 1</solution>'
			}
		]
	},
	{
		preset: 'python-feedback',
		mode: 'chat',
		task: mbppTask(pythonTasks[3]),
		replies: [
			{
				text: 'I will write it and try the examples.\n<python>\ndef run_length(s):\n    out = []\n    i = 0\n    while i < len(s):\n        j = i\n        while s[j] == s[i]:\n            j += 1\n        out.append(f"{s[i]}{j - i}")\n        i = j\n    return "".join(out)\n\nprint(run_length("aaab"))\n</python>'
			},
			{
				text: 'The inner loop runs past the end of the string. I need a bound check.\n<python>\ndef run_length(s):\n    out = []\n    i = 0\n    while i < len(s):\n        j = i\n        while j < len(s) and s[j] == s[i]:\n            j += 1\n        out.append(f"{s[i]}{j - i}")\n        i = j\n    return "".join(out)\n\nprint(run_length("aaab"), repr(run_length("")), run_length("xyz"))\n</python>'
			},
			{
				text: 'All three examples are right.\n<answer>\ndef run_length(s):\n    out = []\n    i = 0\n    while i < len(s):\n        j = i\n        while j < len(s) and s[j] == s[i]:\n            j += 1\n        out.append(f"{s[i]}{j - i}")\n        i = j\n    return "".join(out)\n</answer>'
			}
		]
	},
	{
		preset: 'intercode-react',
		mode: 'completion',
		task: {
			id: 'school/student-count',
			question: 'How many students are there?',
			db: 'school',
			gold: 'SELECT count(*) FROM students'
		},
		replies: [
			{ text: ' I should check which tables exist.\nAction 1: execute[SHOW TABLES]' },
			{
				text: ' There is a students table. I can count its rows.\nAction 2: execute[SELECT count(*) FROM students]'
			},
			{ text: ' There are 600 students. This answers the question.\nAction 3: submit' }
		]
	},
	{
		preset: 'intercode-try-again',
		mode: 'chat',
		task: {
			id: 'school/west-hall',
			question: 'List the names of the departments in West Hall.',
			db: 'school',
			gold: "SELECT name FROM departments WHERE building = 'West Hall'"
		},
		replies: [
			{ text: '```sql\nSELECT name FROM departments\n```' },
			{ text: "```sql\nSELECT name FROM departments WHERE building = 'West Hall'\n```" }
		]
	},
	{
		preset: 'fenced',
		mode: 'chat',
		task: mbppTask(pythonTasks[5]),
		replies: [
			{
				text: 'An iterative version avoids recursion limits:\n```python\ndef fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n```'
			},
			{ text: '```python\n[fib(i) for i in range(11)]\n```' },
			{ text: 'The sequence is right, so the function above is my answer.' }
		]
	},
	{
		preset: 'tools',
		mode: 'chat',
		task: {
			id: 'school/average-score',
			question: 'What is the average score over all grades, rounded to two decimals?',
			db: 'school',
			gold: 'SELECT round(avg(score), 2) FROM grades'
		},
		replies: [
			{
				text: 'Let me compute it.',
				toolCalls: [call('call_1', 'run_sql', { query: 'SELECT round(avg(score), 2) FROM grades' })]
			},
			{
				text: '',
				toolCalls: [call('call_2', 'submit', { answer: 'SELECT round(avg(score), 2) FROM grades' })]
			}
		]
	}
];

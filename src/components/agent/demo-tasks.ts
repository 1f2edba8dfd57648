import type { PresetId } from '../../core/presets/types.ts';
import type { ReplayTurn } from '../../core/providers/replay.ts';
import type { AgentTask } from '../../core/trace/events.ts';

/** A task offered in the Agent tab's task picker. */
export interface DemoTask {
	id: string;
	title: string;
	task: AgentTask;
}

/** Tasks over the bundled sample databases and small Python exercises (our own; no third-party data). */
export const demoTasks: DemoTask[] = [
	{
		id: 'school-ninth-graders',
		title: 'School: how many 9th graders?',
		task: {
			id: 'school-ninth-graders',
			question: 'How many students are in grade 9?',
			db: 'school',
			gold: 'SELECT COUNT(*) FROM students WHERE grade_level = 9'
		}
	},
	{
		id: 'school-busiest-course',
		title: 'School: course with the most students',
		task: {
			id: 'school-busiest-course',
			question: 'What is the title of the course with the most distinct enrolled students?',
			db: 'school',
			gold: 'SELECT c.title FROM courses c JOIN enrollments e ON e.course_id = c.id GROUP BY c.id ORDER BY COUNT(DISTINCT e.student_id) DESC LIMIT 1'
		}
	},
	{
		id: 'shop-top-country',
		title: 'Shop: country with the most customers',
		task: {
			id: 'shop-top-country',
			question: 'Which country has the most customers?',
			db: 'shop',
			gold: 'SELECT country FROM customers GROUP BY country ORDER BY COUNT(*) DESC LIMIT 1'
		}
	},
	{
		id: 'py-second-largest',
		title: 'Python: second largest distinct number',
		task: {
			id: 'py-second-largest',
			description:
				'Write a function second_largest(numbers) that returns the second largest distinct value in a list, or None when there is none.',
			tests: [
				'assert second_largest([3, 1, 4, 1, 5]) == 4',
				'assert second_largest([2, 2]) is None',
				'assert second_largest([-1, -5, -3]) == -3'
			],
			entryPoint: 'second_largest'
		}
	},
	{
		id: 'py-run-length',
		title: 'Python: run-length encoding',
		task: {
			id: 'py-run-length',
			description:
				'Write a function encode(s) that run-length encodes a string: "aaab" becomes "a3b1".',
			tests: [
				'assert encode("aaab") == "a3b1"',
				'assert encode("") == ""',
				'assert encode("abc") == "a1b1c1"'
			],
			entryPoint: 'encode'
		}
	}
];

/** A ready-to-replay session: its preset, task and the model turns to feed through Replay. */
export interface DemoSession {
	title: string;
	presetId: PresetId;
	mode: 'chat' | 'completion';
	taskId: string;
	turns: ReplayTurn[];
}

/**
 * The session shown on first open when no recorded trace is bundled: scripted model turns (written
 * for this demo, not recorded from a model) that the loop replays against the real engines.
 */
export const demoSession: DemoSession = {
	title: 'Demo: SkyRL-SQL on the school database (scripted turns)',
	presetId: 'skyrl-sql',
	mode: 'completion',
	taskId: 'school-busiest-course',
	turns: [
		{
			text: '<think>\nI need enrolled students per course. Enrollments link students to courses; I will count distinct students per course and look at the top ones first.\n</think>\n<sql>SELECT c.title, COUNT(DISTINCT e.student_id) AS n FROM courses c JOIN enrollments e ON e.course_id = c.id GROUP BY c.id ORDER BY n DESC LIMIT 3</sql>'
		},
		{
			text: '<think>\nThe first row has the most distinct students. The question asks only for the title, so the final query selects just that column.\n</think>\n<solution>SELECT c.title FROM courses c JOIN enrollments e ON e.course_id = c.id GROUP BY c.id ORDER BY COUNT(DISTINCT e.student_id) DESC LIMIT 1</solution>'
		}
	]
};

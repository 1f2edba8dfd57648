import type { Database } from 'sql.js';
import { firstNames, lastNames, emailOf, towns } from './names.ts';
import { addDays, Random } from './random.ts';
import { insertAll, type SampleSpec } from './sample.ts';

const schema = `
CREATE TABLE departments (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	building TEXT NOT NULL
);
CREATE TABLE teachers (
	id INTEGER PRIMARY KEY,
	first_name TEXT NOT NULL,
	last_name TEXT NOT NULL,
	email TEXT NOT NULL UNIQUE,
	department_id INTEGER NOT NULL REFERENCES departments(id),
	hired_on TEXT NOT NULL,
	salary INTEGER NOT NULL
);
CREATE TABLE students (
	id INTEGER PRIMARY KEY,
	first_name TEXT NOT NULL,
	last_name TEXT NOT NULL,
	birth_date TEXT NOT NULL,
	grade_level INTEGER NOT NULL CHECK (grade_level BETWEEN 9 AND 12),
	email TEXT NOT NULL UNIQUE,
	city TEXT NOT NULL,
	advisor_id INTEGER REFERENCES teachers(id)
);
CREATE TABLE courses (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	title TEXT NOT NULL,
	department_id INTEGER NOT NULL REFERENCES departments(id),
	teacher_id INTEGER REFERENCES teachers(id),
	credits INTEGER NOT NULL,
	room TEXT NOT NULL
);
CREATE TABLE enrollments (
	id INTEGER PRIMARY KEY,
	student_id INTEGER NOT NULL REFERENCES students(id),
	course_id INTEGER NOT NULL REFERENCES courses(id),
	term TEXT NOT NULL,
	enrolled_on TEXT NOT NULL,
	UNIQUE (student_id, course_id, term)
);
CREATE TABLE grades (
	id INTEGER PRIMARY KEY,
	enrollment_id INTEGER NOT NULL REFERENCES enrollments(id),
	assessment TEXT NOT NULL CHECK (assessment IN ('midterm', 'final')),
	score REAL NOT NULL CHECK (score BETWEEN 0 AND 100)
);
CREATE INDEX enrollments_course ON enrollments(course_id);
CREATE INDEX grades_enrollment ON grades(enrollment_id);
CREATE VIEW course_averages AS
	SELECT c.code, c.title, count(DISTINCT e.student_id) AS students, round(avg(g.score), 1) AS average
	FROM courses c JOIN enrollments e ON e.course_id = c.id JOIN grades g ON g.enrollment_id = e.id
	GROUP BY c.id;
`;

const departments: [string, string, string[]][] = [
	['Mathematics', 'North Hall', ['Algebra', 'Geometry', 'Statistics', 'Calculus', 'Number Theory']],
	['Science', 'Lab Wing', ['Biology', 'Chemistry', 'Physics', 'Earth Science', 'Astronomy']],
	['Languages', 'West Hall', ['Literature', 'Creative Writing', 'Spanish', 'French', 'Rhetoric']],
	['History', 'West Hall', ['World History', 'Civics', 'Economics', 'Geography', 'Archaeology']],
	['Arts', 'Studio Block', ['Drawing', 'Music Theory', 'Choir', 'Theatre', 'Photography']],
	['Computing', 'Lab Wing', ['Programming', 'Databases', 'Networks', 'Robotics', 'Web Design']],
	['Physical Education', 'Gymnasium', ['Athletics', 'Swimming', 'Team Sports', 'Health', 'Dance']]
];
const levels = ['I', 'II'];
const terms: [string, string][] = [
	['2024-fall', '2024-09-02'],
	['2025-spring', '2025-01-13']
];

function build(db: Database): void {
	const rnd = new Random(20_240_902);
	db.exec(schema);
	insertAll(
		db,
		'departments',
		departments.map(([name, building], i) => [i + 1, name, building])
	);

	const teachers: unknown[][] = [];
	const teachersOf = new Map<number, number[]>();
	for (let id = 1; id <= 56; id++) {
		const dept = ((id - 1) % departments.length) + 1;
		const [first, last] = [rnd.pick(firstNames), rnd.pick(lastNames)];
		const hired = addDays('2001-08-15', rnd.int(0, 8500));
		teachers.push([
			id,
			first,
			last,
			emailOf(first, last, id, 'staff.example.edu'),
			dept,
			hired,
			1000 * rnd.int(38, 71)
		]);
		teachersOf.set(dept, [...(teachersOf.get(dept) ?? []), id]);
	}
	insertAll(db, 'teachers', teachers);

	const courses: unknown[][] = [];
	departments.forEach(([, building, titles], d) => {
		for (const [t, title] of titles.entries()) {
			for (const level of levels) {
				const id = courses.length + 1;
				// A few courses have no teacher assigned yet (NULL), which LEFT JOIN questions need.
				const teacher = rnd.chance(0.05) ? null : rnd.pick(teachersOf.get(d + 1)!);
				const code = `${departments[d][0].slice(0, 3).toUpperCase()}${100 + t * 10 + (level === 'I' ? 1 : 2)}`;
				const room = `${building.split(' ')[0]} ${rnd.int(1, 3)}${String(rnd.int(1, 20)).padStart(2, '0')}`;
				courses.push([id, code, `${title} ${level}`, d + 1, teacher, rnd.pick([2, 3, 3, 4]), room]);
			}
		}
	});
	insertAll(db, 'courses', courses);

	const students: unknown[][] = [];
	for (let id = 1; id <= 600; id++) {
		const [first, last] = [rnd.pick(firstNames), rnd.pick(lastNames)];
		const level = rnd.int(9, 12);
		const born = addDays(`${2024 - level - 6}-01-01`, rnd.int(-200, 330));
		const advisor = rnd.chance(0.9) ? rnd.int(1, teachers.length) : null;
		const city = rnd.pick(towns.filter((t) => t.country === 'Estoria')).city;
		students.push([
			id,
			first,
			last,
			born,
			level,
			emailOf(first, last, id, 'students.example.edu'),
			city,
			advisor
		]);
	}
	insertAll(db, 'students', students);

	const enrollments: unknown[][] = [];
	const grades: unknown[][] = [];
	for (const [s] of students) {
		// Stronger and weaker students, so averages differ in ways queries can find.
		const talent = rnd.around(72, 18, 35, 97);
		for (const [term, start] of terms) {
			for (const course of rnd.sample(courses, rnd.int(3, 4))) {
				const enrollment = enrollments.length + 1;
				enrollments.push([enrollment, s, course[0], term, addDays(start, rnd.int(-14, 3))]);
				// Students who enrolled but left get no final grade.
				const assessments = rnd.chance(0.04) ? ['midterm'] : ['midterm', 'final'];
				for (const assessment of assessments) {
					const score = Math.round(rnd.around(talent, 14, 0, 100) * 2) / 2;
					grades.push([grades.length + 1, enrollment, assessment, score]);
				}
			}
		}
	}
	insertAll(db, 'enrollments', enrollments);
	insertAll(db, 'grades', grades);
}

/** A high school: departments, teachers, students, courses, enrollments over two terms, grades. */
export const school: SampleSpec = {
	name: 'school',
	title: 'School',
	description:
		'A high school over two terms: departments, teachers, 600 students, courses, enrollments and midterm/final grades (invented).',
	build
};

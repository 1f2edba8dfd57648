import type { PresetId } from '../../../core/presets/types.ts';
import { importTrace, type Trace } from '../../../core/trace/trace.ts';
import exploreSchema from './explore-schema.json';
import fixAfterTraceback from './fix-after-traceback.json';
import reactOrders from './react-orders.json';
import recoverFromError from './recover-from-error.json';

// The Start tab's demo sessions: our own tasks on our own generated samples (`school`, `shop`),
// model turns written by us, recorded through the real loop and engines by
// test/unit/gallery-traces.test.ts (RECORD_TRACES=1 re-records them).

/** One card of the Start tab's gallery. */
export interface GalleryTrace {
	/** File name under src/data/traces/gallery/ (without .json). */
	id: string;
	title: string;
	/** What happens in the session, in one line. */
	story: string;
	preset: PresetId;
	/** What the session's code runs on. */
	kind: 'sql' | 'python';
	/** The recorded trace, validated. */
	load(): Trace;
}

const entry = (e: Omit<GalleryTrace, 'load'>, raw: unknown): GalleryTrace => ({
	...e,
	load: () => importTrace(raw)
});

/** The gallery, in the order the Start tab shows it. */
export const galleryTraces: GalleryTrace[] = [
	entry(
		{
			id: 'explore-schema',
			title: 'Explore the schema, then answer',
			story:
				'A ReEx-style SQL agent lists the tables of an unknown shop database, reads the columns, checks the totals, and only then gives its query.',
			preset: 'skyrl-sql',
			kind: 'sql'
		},
		exploreSchema
	),
	entry(
		{
			id: 'fix-after-traceback',
			title: 'Fix the code after a traceback',
			story:
				'A LeTI-style Python agent submits a merge of two sorted lists; the tests raise an IndexError, it reads the traceback, fixes the loop and passes.',
			preset: 'python-feedback',
			kind: 'python'
		},
		fixAfterTraceback
	),
	entry(
		{
			id: 'react-orders',
			title: 'Think, act, observe (InterCode ReAct)',
			story:
				'A ReAct agent speaks MySQL to SQLite: SHOW TABLES, DESC orders, a look at the statuses, the count, then submit.',
			preset: 'intercode-react',
			kind: 'sql'
		},
		reactOrders
	),
	entry(
		{
			id: 'recover-from-error',
			title: 'A failed first query, recovered',
			story:
				'An agent with native tool calls guesses a column that does not exist, reads the SQLite error, inspects the table and answers with a join.',
			preset: 'tools',
			kind: 'sql'
		},
		recoverFromError
	)
];

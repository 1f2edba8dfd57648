// agent.stepOverheadMedian: ms per action for parse + execute `SELECT 1` + insert of the observation,
// model time excluded, through a scripted local server.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Measures the agent loop's per-step overhead; {value: null, note} while the loop is missing. */
export async function measureAgentStep({ root }) {
	const agentDir = join(root, 'src/core/agent');
	const files = existsSync(agentDir) ? readdirSync(agentDir).filter((f) => f.endsWith('.ts')) : [];
	if (files.length === 0)
		return {
			value: null,
			note: 'the agent loop (src/core/agent/) has not landed yet',
			samples: []
		};
	return {
		value: null,
		note: `the agent loop has files (${files.join(', ')}) but the bench is not wired to it yet`,
		samples: []
	};
}

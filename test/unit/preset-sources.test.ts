import { expect, test } from 'vitest';
import { presets } from '../../src/core/presets/index.ts';

// Each preset names the public work it follows (shown as links under the Agent tab's preset picker):
// the paper on arXiv, then the official code as GitHub permalinks at the commit it was checked against.

const permalink = /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/blob\/[0-9a-f]{40}\/\S+$/;

test.each([
	['skyrl-sql', 'arXiv 2505.12768', 'SkyRL/skyrl-gym/skyrl_gym/tools/sql.py'],
	['python-feedback', 'arXiv 2305.10314', 'LeTI/leti/scripts/data/process_mbpp.py'],
	['intercode-react', 'arXiv 2306.14898', 'intercode/experiments/eval_react.py'],
	['intercode-try-again', 'arXiv 2306.14898', 'intercode/experiments/eval_n_turn.py']
] as const)('%s links its paper and its code', (id, paper, file) => {
	const { label, links } = presets[id].source;
	expect(label).not.toBe('');
	expect(links[0]).toEqual({
		label: paper,
		url: `https://arxiv.org/abs/${paper.slice('arXiv '.length)}`
	});
	const code = links.find((l) => l.label === file);
	expect(code?.url).toMatch(permalink);
	expect(code?.url.endsWith(file.slice(file.indexOf('/')))).toBe(true);
});

test('every source link is a public https address, and no source cites a private document', () => {
	for (const preset of Object.values(presets)) {
		expect(JSON.stringify(preset.source)).not.toMatch(/protocols\.md|§/);
		for (const link of preset.source.links) {
			expect(link.url).toMatch(/^https:\/\/(arxiv\.org\/abs\/\d{4}\.\d{5}$|github\.com\/)/);
			if (link.url.startsWith('https://github.com/')) expect(link.url).toMatch(permalink);
		}
	}
});

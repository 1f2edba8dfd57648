import { expect, test } from 'vitest';
import { splitModelText } from '../../src/components/agent/model-text.ts';
import { markdownToHtml } from '../../src/lib/markdown.ts';

// The Node half of the model-output rendering: tags split into segments and raw HTML escaped by
// marked. DOMPurify's half needs a DOM and is proven in Chromium (test/e2e/agent-xss.e2e.test.ts).

test('protocol tags split into reasoning, code and markdown, also while a tag is still open', () => {
	expect(splitModelText('Plan:\n<think>count **rows**</think>\n<sql>SELECT 1 < 2</sql>')).toEqual([
		{ type: 'markdown', text: 'Plan:\n' },
		{ type: 'think', text: 'count **rows**', open: false },
		{ type: 'code', tag: 'sql', text: 'SELECT 1 < 2', open: false }
	]);
	expect(splitModelText('<think>still thinking')).toEqual([
		{ type: 'think', text: 'still thinking', open: true }
	]);
	// Inside a tag only its own closing tag ends it.
	expect(splitModelText('<python>s = "</sql>"</python>')).toEqual([
		{ type: 'code', tag: 'python', text: 's = "</sql>"', open: false }
	]);
});

test('raw HTML in model text is shown as text, never as markup', () => {
	const html = markdownToHtml(
		'Hi <img src=x onerror="alert(1)"> <script>alert(2)</script>\n\n<iframe srcdoc="x"></iframe>\n\n**b** `<i>`'
	);
	expect(html).not.toMatch(/<(img|script|iframe)\b/i);
	expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
	expect(html).toContain('&lt;iframe');
	expect(html).toContain('<strong>b</strong>');
	expect(html).toContain('<code>&lt;i&gt;</code>');
});

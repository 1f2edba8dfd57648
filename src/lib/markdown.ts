import DOMPurify, { type Config } from 'dompurify';
import { Marked, type Tokens } from 'marked';

// Model output is untrusted: it can carry whatever a prompt injection in the data asked for.
// Two layers: marked shows raw HTML in the text as literal text (it never becomes markup), and
// DOMPurify then cleans marked's own output (e.g. `[x](javascript:…)` links, which marked keeps).

const entities: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;'
};

/** Escapes text for use inside HTML. */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => entities[c]);
}

const marked = new Marked({
	gfm: true,
	breaks: true,
	async: false,
	renderer: {
		html(token: Tokens.HTML | Tokens.Tag) {
			const shown = escapeHtml(token.text);
			return 'block' in token && token.block ? `<p>${shown}</p>` : shown;
		}
	}
});

/** Markdown to HTML, with raw HTML in the text escaped (not yet sanitised: see {@link renderMarkdown}). */
export function markdownToHtml(text: string): string {
	return marked.parse(text, { async: false });
}

/** Tags markdown produces; everything else (img, svg, iframe, form, style, script …) is dropped. */
const allowedTags = [
	'p', 'br', 'hr', 'em', 'strong', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li',
	'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'input', 'span'
]; // prettier-ignore

const purifyConfig: Config = {
	ALLOWED_TAGS: allowedTags,
	ALLOWED_ATTR: ['href', 'title', 'class', 'align', 'start', 'type', 'checked', 'disabled'],
	// Only web and mail links; no javascript:, data:, vbscript: or protocol-relative tricks.
	ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#)/i,
	ALLOW_DATA_ATTR: false,
	KEEP_CONTENT: true
};

let purifier: ReturnType<typeof DOMPurify> | null = null;

function getPurifier(): ReturnType<typeof DOMPurify> {
	if (purifier) return purifier;
	// An instance of our own, so the link hook does not change DOMPurify for anyone else.
	const p = DOMPurify(window);
	p.addHook('afterSanitizeAttributes', (node) => {
		if (node.tagName === 'A' && node.hasAttribute('href')) {
			node.setAttribute('target', '_blank');
			node.setAttribute('rel', 'noopener noreferrer nofollow');
		}
		// Only GFM task-list checkboxes survive, and they stay inert.
		if (node.tagName === 'INPUT') {
			if (node.getAttribute('type') !== 'checkbox') node.remove();
			else node.setAttribute('disabled', '');
		}
	});
	purifier = p;
	return p;
}

// Test-only (test/e2e/page-csp.e2e.test.ts shows that the page's CSP alone stops the XSS
// payloads): with this global exactly `true`, model output is rendered raw, neither escaped nor
// sanitised. Only a script run before the app can set it, i.e. one that could do anything anyway;
// no URL or setting reaches it, and markup cannot clobber it into `true` (a named element is an object).
const unsafeSwitch = '__execlabUnsafeRawMarkdownForTests';

function rawForTests(text: string): string | null {
	if ((globalThis as Record<string, unknown>)[unsafeSwitch] !== true) return null;
	return new Marked({ gfm: true, breaks: true, async: false }).parse(text, { async: false });
}

/** Renders untrusted markdown (model output) to sanitised HTML, safe for `innerHTML`. */
export function renderMarkdown(text: string): string {
	const raw = rawForTests(text);
	if (raw !== null) return raw;
	const p = getPurifier();
	return p.sanitize(markdownToHtml(text), { ...purifyConfig, RETURN_TRUSTED_TYPE: false });
}

/** Sanitises HTML with the same rules as {@link renderMarkdown}. */
export function sanitizeHtml(html: string): string {
	return getPurifier().sanitize(html, { ...purifyConfig, RETURN_TRUSTED_TYPE: false });
}

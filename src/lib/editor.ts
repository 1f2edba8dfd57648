// CodeMirror 6 assembled from the few parts the playground needs (not `basicSetup`) to keep the
// bundle small; language packs are loaded lazily so the editor accepts typing before they arrive.
import { Compartment, EditorState, StateEffect, StateField } from '@codemirror/state';
import {
	Decoration,
	EditorView,
	drawSelection,
	highlightActiveLine,
	highlightActiveLineGutter,
	keymap,
	lineNumbers,
	type DecorationSet
} from '@codemirror/view';
import {
	defaultKeymap,
	history,
	historyKeymap,
	indentWithTab,
	simplifySelection,
	temporarilySetTabFocusMode
} from '@codemirror/commands';
import {
	bracketMatching,
	HighlightStyle,
	indentOnInput,
	LanguageSupport,
	StreamLanguage,
	syntaxHighlighting
} from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

/** The failing line to mark, from a run's error. */
export interface ErrorMark {
	/** 1-based line number. */
	line: number;
	message: string;
}

const setErrorMark = StateEffect.define<ErrorMark | null>();

// The mark is cleared by any edit: once the code changed, the old line number means nothing.
const errorMarkField = StateField.define<DecorationSet>({
	create: () => Decoration.none,
	update(marks, tr) {
		for (const e of tr.effects) {
			if (!e.is(setErrorMark)) continue;
			if (e.value === null || e.value.line < 1 || e.value.line > tr.state.doc.lines) {
				return Decoration.none;
			}
			const line = tr.state.doc.line(e.value.line);
			const deco = Decoration.line({
				attributes: { class: 'cm-errorLine', title: e.value.message, 'data-error-line': '' }
			});
			return Decoration.set([deco.range(line.from)]);
		}
		return tr.docChanged ? Decoration.none : marks;
	},
	provide: (f) => EditorView.decorations.from(f)
});

const highlight = HighlightStyle.define([
	{
		tag: [t.keyword, t.operatorKeyword, t.modifier, t.controlKeyword],
		color: 'var(--syn-keyword)'
	},
	{ tag: [t.string, t.special(t.string), t.regexp], color: 'var(--syn-string)' },
	{ tag: [t.number, t.bool, t.null, t.atom], color: 'var(--syn-number)' },
	{
		tag: [t.comment, t.lineComment, t.blockComment],
		color: 'var(--syn-comment)',
		fontStyle: 'italic'
	},
	{ tag: [t.function(t.variableName), t.function(t.propertyName)], color: 'var(--syn-function)' },
	{ tag: [t.definition(t.variableName), t.className, t.typeName], color: 'var(--syn-definition)' },
	{ tag: [t.propertyName, t.attributeName], color: 'var(--syn-property)' },
	{ tag: [t.operator, t.punctuation, t.bracket], color: 'var(--syn-punct)' },
	{ tag: t.invalid, color: 'var(--danger)' }
]);

const theme = EditorView.theme({
	'&': { height: '100%', color: 'var(--fg)', backgroundColor: 'var(--editor-bg)' },
	'&.cm-focused': { outline: 'none' },
	'.cm-scroller': {
		fontFamily: 'var(--font-mono)',
		fontSize: 'var(--code-size)',
		lineHeight: '1.5'
	},
	'.cm-content': { caretColor: 'var(--accent)' },
	'.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--accent)', borderLeftWidth: '2px' },
	'&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground':
		{ backgroundColor: 'var(--selection)' },
	'.cm-gutters': {
		backgroundColor: 'var(--editor-bg)',
		color: 'var(--muted)',
		borderRight: '1px solid var(--border)'
	},
	'.cm-activeLine': { backgroundColor: 'var(--active-line)' },
	'.cm-activeLineGutter': { backgroundColor: 'var(--active-line)', color: 'var(--fg)' },
	'.cm-errorLine': {
		backgroundColor: 'var(--danger-bg)',
		boxShadow: 'inset 3px 0 0 var(--danger)'
	},
	'.cm-matchingBracket': { backgroundColor: 'var(--selection)', outline: 'none' }
});

/** A language the editor highlights (a new playground language must be added here too). */
export type EditorLanguage = 'python' | 'sql';

// Only the grammars: the packs' completion sources would pull in @codemirror/autocomplete,
// which the playground does not use. Python, shown at start, uses CodeMirror's stream mode
// (highlighting, indentation, ~3 KB gzipped) rather than the Lezer grammar (~25 KB with its
// parser runtime), which would be a sixth of the start-up JavaScript.
async function loadLanguage(language: EditorLanguage): Promise<LanguageSupport> {
	if (language === 'python') {
		const { python } = await import('@codemirror/legacy-modes/mode/python');
		return new LanguageSupport(StreamLanguage.define(python));
	}
	return new LanguageSupport((await import('@codemirror/lang-sql')).SQLite.language);
}

/** Options of {@link createEditor}. */
export interface EditorOptions {
	parent: HTMLElement;
	doc: string;
	language: EditorLanguage;
	/** Accessible name of the editing area. */
	label: string;
	/** Ctrl/Cmd+Enter (and Shift+Enter). */
	onRun: () => void;
	/** Ctrl/Cmd+. */
	onStop: () => void;
	onChange: (doc: string) => void;
}

/** A mounted editor with the operations the panes need. */
export interface Editor {
	view: EditorView;
	/** Marks (or with null unmarks) the failing line and scrolls it into view. */
	markError(mark: ErrorMark | null): void;
	/** Inserts text at the cursor (replacing the selection) and focuses the editor. */
	insert(text: string): void;
	/** Replaces the whole text (e.g. from an embed `code=` or a sample). */
	setDoc(doc: string): void;
	focus(): void;
	destroy(): void;
}

/** Creates a CodeMirror editor in `parent`; the language pack arrives asynchronously. */
export function createEditor(options: EditorOptions): Editor {
	const language = new Compartment();
	const run = () => {
		options.onRun();
		return true;
	};
	const view = new EditorView({
		parent: options.parent,
		state: EditorState.create({
			doc: options.doc,
			extensions: [
				lineNumbers(),
				highlightActiveLineGutter(),
				history(),
				drawSelection(),
				indentOnInput(),
				bracketMatching(),
				highlightActiveLine(),
				syntaxHighlighting(highlight),
				language.of([]),
				errorMarkField,
				keymap.of([
					{ key: 'Mod-Enter', run, preventDefault: true },
					{ key: 'Shift-Enter', run, preventDefault: true },
					{
						key: 'Mod-.',
						run: () => {
							options.onStop();
							return true;
						},
						preventDefault: true
					},
					{
						// Escape then Tab leaves the editor (Tab itself indents).
						key: 'Escape',
						run: (v) => {
							simplifySelection(v);
							return temporarilySetTabFocusMode(v);
						}
					},
					...defaultKeymap,
					...historyKeymap,
					indentWithTab
				]),
				theme,
				EditorView.contentAttributes.of({
					'aria-label': options.label,
					'aria-multiline': 'true'
				}),
				EditorView.updateListener.of((u) => {
					if (u.docChanged) options.onChange(u.state.doc.toString());
				})
			]
		})
	});
	let destroyed = false;
	void loadLanguage(options.language).then((support) => {
		if (!destroyed) view.dispatch({ effects: language.reconfigure(support) });
	});
	return {
		view,
		markError(mark) {
			const effects: StateEffect<unknown>[] = [setErrorMark.of(mark)];
			if (mark && mark.line >= 1 && mark.line <= view.state.doc.lines) {
				effects.push(
					EditorView.scrollIntoView(view.state.doc.line(mark.line).from, { y: 'center' })
				);
			}
			view.dispatch({ effects });
		},
		insert(text) {
			view.dispatch(view.state.replaceSelection(text));
			view.focus();
		},
		setDoc(doc) {
			view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: doc } });
		},
		focus: () => view.focus(),
		destroy() {
			destroyed = true;
			view.destroy();
		}
	};
}

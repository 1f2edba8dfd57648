// The stepper's current line in a CodeMirror editor: a line decoration installed into an existing
// editor on first use (so the editor's start-up code does not carry it), cleared by any edit.
import { StateEffect, StateField } from '@codemirror/state';
import { Decoration, EditorView, type DecorationSet } from '@codemirror/view';

/** The line to mark and how it was reached. */
export interface StepMark {
	/** 1-based line number. */
	line: number;
	/** `exception`: the line raised; `return`: the frame returns there; else an ordinary step. */
	kind: 'line' | 'call' | 'return' | 'exception';
}

const setStepMark = StateEffect.define<StepMark | null>();

const stepMarkField = StateField.define<DecorationSet>({
	create: () => Decoration.none,
	update(marks, tr) {
		for (const e of tr.effects) {
			if (!e.is(setStepMark)) continue;
			if (e.value === null || e.value.line < 1 || e.value.line > tr.state.doc.lines) {
				return Decoration.none;
			}
			const deco = Decoration.line({
				attributes: {
					class: `cm-stepLine cm-stepLine-${e.value.kind}`,
					'data-step-line': String(e.value.line)
				}
			});
			return Decoration.set([deco.range(tr.state.doc.line(e.value.line).from)]);
		}
		return tr.docChanged ? Decoration.none : marks;
	},
	provide: (f) => EditorView.decorations.from(f)
});

const stepTheme = EditorView.baseTheme({
	'.cm-stepLine': {
		backgroundColor: 'color-mix(in srgb, var(--warn) 20%, transparent)',
		boxShadow: 'inset 3px 0 0 var(--warn)'
	},
	'.cm-stepLine-exception': {
		backgroundColor: 'var(--danger-bg)',
		boxShadow: 'inset 3px 0 0 var(--danger)'
	}
});

const installed = new WeakSet<EditorView>();

/** Marks (or with null unmarks) the stepper's line in `view`, scrolling it into view if needed. */
export function markStep(view: EditorView, mark: StepMark | null): void {
	const effects: StateEffect<unknown>[] = [];
	if (!installed.has(view)) {
		installed.add(view);
		effects.push(StateEffect.appendConfig.of([stepMarkField, stepTheme]));
	}
	effects.push(setStepMark.of(mark));
	if (mark && mark.line >= 1 && mark.line <= view.state.doc.lines) {
		effects.push(EditorView.scrollIntoView(view.state.doc.line(mark.line).from, { y: 'nearest' }));
	}
	view.dispatch({ effects });
}

// chart.js for the Eval tab, fetched the first time a chart is drawn (chart-setup.ts, a chunk of
// its own, never part of the first paint), and the charts' configuration in the theme's colours.
import type { Chart as ChartType, ChartConfiguration } from 'chart.js';

let loading: Promise<typeof ChartType> | null = null;

/** The Chart class, with the bar and line charts' controllers, elements and scales registered. */
export function loadChart(): Promise<typeof ChartType> {
	loading ??= import('./chart-setup.ts').then(
		(m) => m.Chart,
		(e: unknown) => {
			loading = null; // a failed fetch (e.g. offline before it was cached) is retried next time
			throw e;
		}
	);
	return loading;
}

/** The theme's colours, read from the CSS variables of src/styles/app.css. */
export interface ChartColours {
	fg: string;
	muted: string;
	grid: string;
	accent: string;
	ok: string;
	danger: string;
	warn: string;
}

/** Reads the current theme's colours off `el` (it inherits the variables of `:root`). */
export function themeColours(el: Element): ChartColours {
	const css = getComputedStyle(el);
	const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
	return {
		fg: v('--fg', '#1d2330'),
		muted: v('--muted', '#5f6878'),
		grid: v('--border', '#d6dae2'),
		accent: v('--accent', '#2f5fd0'),
		ok: v('--ok', '#1f7a45'),
		danger: v('--danger', '#c4312b'),
		warn: v('--warn', '#9a6200')
	};
}

/** What one of the Eval tab's charts shows. */
export interface ChartSpec {
	kind: 'bar' | 'line';
	labels: string[];
	values: number[];
	/** Values are fractions shown as percentages (axis 0–100 %). */
	fraction?: boolean;
	xTitle: string;
	yTitle: string;
	/** Which theme colour the marks use. */
	tone?: keyof ChartColours;
}

/** The chart.js configuration of a spec in the given colours (no animation: results redraw often). */
export function chartConfig(spec: ChartSpec, c: ChartColours): ChartConfiguration {
	const colour = c[spec.tone ?? 'accent'];
	const values = spec.fraction ? spec.values.map((x) => x * 100) : spec.values;
	const axis = (title: string) => ({
		title: { display: true, text: title, color: c.muted },
		ticks: { color: c.muted },
		grid: { color: c.grid }
	});
	return {
		type: spec.kind,
		data: {
			labels: spec.labels,
			datasets: [
				{
					data: values,
					backgroundColor: colour,
					borderColor: colour,
					borderWidth: spec.kind === 'line' ? 2 : 0,
					pointRadius: 3
				}
			]
		},
		options: {
			animation: false,
			responsive: true,
			maintainAspectRatio: false,
			plugins: {
				tooltip: {
					callbacks: spec.fraction ? { label: (ctx) => `${(ctx.parsed.y ?? 0).toFixed(1)} %` } : {}
				}
			},
			scales: {
				x: axis(spec.xTitle),
				y: {
					...axis(spec.yTitle),
					beginAtZero: true,
					...(spec.fraction ? { max: 100 } : {})
				}
			}
		}
	};
}

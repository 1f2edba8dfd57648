// chart.js with only what the Eval tab's charts draw: bar and line charts on category and linear
// scales, with tooltips. Imported dynamically (chart-lib.ts), so it is a chunk of its own and the
// named imports let the bundler drop the rest of the library.
import {
	BarController,
	BarElement,
	CategoryScale,
	Chart,
	LinearScale,
	LineController,
	LineElement,
	PointElement,
	Tooltip
} from 'chart.js';

Chart.register(
	BarController,
	BarElement,
	LineController,
	LineElement,
	PointElement,
	CategoryScale,
	LinearScale,
	Tooltip
);

export { Chart };

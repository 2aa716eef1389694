// Chart.js for the overview's power chart. Only the pieces a line chart on linear axes
// needs are registered, so the bundle leaves the rest of Chart.js out. The x axis is a
// plain linear axis of UTC ms labelled through Intl in the site's time zone, which avoids
// a date-adapter dependency.
import {
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import { formatNumber, formatTime } from '../../i18n/format';
import type { Locale } from '../../i18n/dictionaries';
import { alignedTicks } from '../../lib/time-ticks';
import {
  TREND_SERIES,
  type TrendBuffer,
  type TrendPoint,
  type TrendSeries,
} from '../../lib/trend-buffer';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

export type PowerChart = Chart<'line', TrendPoint[]>;

const TEN_MINUTES_MS = 600_000;

/** Dashes tell the series apart where colours alone do not (colour blindness, print). */
const DASHES: Record<TrendSeries, number[]> = {
  pvW: [],
  loadW: [6, 3],
  batteryW: [2, 3],
  gridW: [10, 4, 2, 4],
};

const COLOR_VARS: Record<TrendSeries, string> = {
  pvW: '--series-pv',
  loadW: '--series-load',
  batteryW: '--series-battery',
  gridW: '--series-grid',
};

export interface PowerChartOptions {
  /** End of the visible hour (station clock); moved on by showWindow(). */
  endMs: number;
  locale: Locale;
  timeZone: string | undefined;
  rtl: boolean;
  labels: Record<TrendSeries, string>;
  axisTitle: string;
  /** Tooltip line for one value, e.g. "Battery: 1.2 kW, charging". */
  describe(series: TrendSeries, powerW: number): string;
}

function cssVar(style: CSSStyleDeclaration, name: string): string {
  return style.getPropertyValue(name).trim();
}

/** Colours come from the theme's CSS variables, read when the chart is (re)created. */
export function createPowerChart(
  canvas: HTMLCanvasElement,
  buffer: TrendBuffer,
  options: PowerChartOptions,
): PowerChart {
  const style = getComputedStyle(document.documentElement);
  const text = cssVar(style, '--text');
  const muted = cssVar(style, '--text-muted');
  const grid = cssVar(style, '--grid-line');
  const font = { family: getComputedStyle(document.body).fontFamily, size: 12 };

  const datasets: ChartDataset<'line', TrendPoint[]>[] = TREND_SERIES.map((key) => {
    const color = cssVar(style, COLOR_VARS[key]);
    return {
      label: options.labels[key],
      data: buffer.series[key],
      borderColor: color,
      backgroundColor: color,
      borderDash: DASHES[key],
      borderWidth: 2,
      pointRadius: 0,
      pointHitRadius: 6,
      tension: 0.2,
      spanGaps: false,
    };
  });

  return new Chart<'line', TrendPoint[]>(canvas, {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      locale: options.locale,
      color: text,
      font,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: {
          type: 'linear',
          min: options.endMs - buffer.windowMs,
          max: options.endMs,
          grid: { color: grid },
          // Chart.js would start the ticks at the window's edge (09:29, 09:39, …); put
          // them on whole ten minutes of the clock instead.
          afterBuildTicks: (scale) => {
            scale.ticks = alignedTicks(scale.min, scale.max, TEN_MINUTES_MS).map((value) => ({
              value,
            }));
          },
          ticks: {
            color: muted,
            maxRotation: 0,
            callback: (value) => formatTime(Number(value), options.locale, options.timeZone),
          },
        },
        y: {
          type: 'linear',
          grid: { color: grid },
          title: { display: true, text: options.axisTitle, color: muted },
          ticks: {
            color: muted,
            callback: (value) => formatNumber(Number(value) / 1000, options.locale, 1),
          },
        },
      },
      plugins: {
        legend: {
          position: 'bottom',
          rtl: options.rtl,
          textDirection: options.rtl ? 'rtl' : 'ltr',
          labels: { color: text, boxWidth: 18, boxHeight: 3 },
        },
        tooltip: {
          rtl: options.rtl,
          textDirection: options.rtl ? 'rtl' : 'ltr',
          callbacks: {
            title: (items) =>
              items[0] ? formatTime(items[0].parsed.x ?? 0, options.locale, options.timeZone) : '',
            label: (item) => {
              const key = TREND_SERIES[item.datasetIndex];
              const y = item.parsed.y;
              return key && y !== null ? options.describe(key, y) : '';
            },
          },
        },
      },
    },
  });
}

/** Shows the hour ending at `endMs` and redraws without animation. */
export function showWindow(chart: PowerChart, buffer: TrendBuffer, endMs: number): void {
  const x = chart.options.scales?.x;
  if (x) {
    x.min = endMs - buffer.windowMs;
    x.max = endMs;
  }
  chart.update('none');
}

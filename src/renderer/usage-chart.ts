import uPlot from 'uplot';
import { byId } from './dom.js';
import { formatCost, unpricedRuns } from '../shared/format-usd.js';
import { formatCompact, formatInt } from './format.js';
import type { UsageSeries } from './usage-series.js';

const PALETTE = ['#2f7ff5', '#e8833a', '#2fa36b', '#b35fd6', '#d64f6b', '#c9a227', '#3bb3c4', '#7d8590'];
const HEIGHT = 110;

function hourLabel(epochSec: number): string {
  return new Date(epochSec * 1000).toLocaleTimeString(undefined, { hour: 'numeric' });
}

/** Three y ticks — 0, half and the top of the scale — where uPlot's own spacing left two at this height. */
export function ySplits(max: number): number[] {
  const top = max > 0 ? max : 1;
  return [0, top / 2, top];
}

function cssVar(doc: Document, name: string): string {
  return getComputedStyle(doc.documentElement).getPropertyValue(name).trim() || '#888';
}

/** Two small uPlot charts (tokens/h and USD/h, one line per agent) with an empty state. */
export class UsageChart {
  private plots: uPlot[] = [];
  private readonly host: HTMLElement;
  private readonly empty: HTMLElement;

  constructor(private readonly doc: Document) {
    this.host = byId(doc, 'usage-charts');
    this.empty = byId(doc, 'usage-empty');
    doc.defaultView?.addEventListener('resize', () => this.resize());
  }

  render(data: UsageSeries): void {
    for (const p of this.plots) p.destroy();
    this.plots = [];
    this.host.replaceChildren();
    const hasData = data.totalTokens > 0 || data.totalMicros > 0;
    this.empty.hidden = hasData;
    this.host.hidden = !hasData;
    this.host.setAttribute(
      'aria-label',
      hasData ? `${formatInt(data.totalTokens)} tokens and ${formatCost(data.totalMicros, data.totalUnpriced)} in the last 24 hours` : '',
    );
    if (!hasData) return;
    this.plots.push(this.plot(data, data.tokens, 'Tokens / h', (v) => formatCompact(v)));
    // With unpriced entries the USD line is a lower bound: the title says so.
    const usdTitle = data.totalUnpriced > 0 ? `USD / h, at least (${unpricedRuns(data.totalUnpriced)})` : 'USD / h';
    this.plots.push(this.plot(data, data.usd, usdTitle, (v) => `$${v.toFixed(v < 1 ? 2 : 1)}`));
  }

  private plot(data: UsageSeries, columns: number[][], title: string, fmt: (v: number) => string): uPlot {
    const axis = { stroke: cssVar(this.doc, '--muted'), grid: { stroke: cssVar(this.doc, '--grid'), width: 1 }, ticks: { show: false } };
    const opts: uPlot.Options = {
      title,
      width: this.width(),
      height: HEIGHT,
      // Each chart's legend sits above its plot (styles.css) and reads the hovered hour's values in its own unit;
      // the cursors are synced, so hovering either chart reads both.
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false }, sync: { key: 'usage-per-hour' } },
      scales: { y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [
        { ...axis, space: 60, size: 26, values: (_u, vals) => vals.map((v) => hourLabel(v)) },
        { ...axis, size: 52, splits: (u) => ySplits(u.scales['y']?.max ?? 1), values: (_u, vals) => vals.map((v) => fmt(v)) },
      ],
      series: [
        { label: 'Hour', value: (_u: uPlot, v: number | null) => (v === null ? '—' : hourLabel(v)) },
        ...data.agents.map((agent, i) => ({
          label: agent,
          stroke: PALETTE[i % PALETTE.length],
          width: 2,
          points: { show: false },
          value: (_u: uPlot, v: number | null) => (v === null ? '—' : fmt(v)),
        })),
      ],
    };
    return new uPlot(opts, [data.x, ...columns], this.host);
  }

  private width(): number {
    return Math.max(280, this.host.clientWidth || (this.host.parentElement?.clientWidth ?? 480) - 32);
  }

  private resize(): void {
    for (const p of this.plots) p.setSize({ width: this.width(), height: HEIGHT });
  }
}

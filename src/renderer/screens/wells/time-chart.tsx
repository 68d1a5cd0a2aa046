/**
 * A time-series chart (uPlot: canvas, ~50 kB, fast on a cheap laptop), with the same
 * numbers in a table under it for keyboard and screen-reader users. Times on the axis are
 * shown in the given IANA zone. The canvas is hidden from assistive technology.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  unit: string;
  scale: string;
  color: string;
  dash?: number[];
  values: (number | null)[];
}

export interface ChartAxis {
  scale: string;
  label: string;
  side: 1 | 3;
}

interface Props {
  title: string;
  description: string;
  /** Unix seconds. */
  xs: number[];
  series: readonly ChartSeries[];
  axes: readonly ChartAxis[];
  timeZone: string;
  /** How x values print in the table. */
  formatX: (seconds: number) => string;
  formatY: (value: number, unit: string) => string;
  height?: number;
  testId: string;
}

const DEFAULT_HEIGHT_PX = 260;

export function TimeChart({ title, description, xs, series, axes, timeZone, formatX, formatY, height = DEFAULT_HEIGHT_PX, testId }: Props) {
  const holder = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = holder.current;
    if (el === null || xs.length === 0) return;
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 300),
      height,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), timeZone),
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      series: [{ label: 'Time' }, ...series.map((s) => ({ label: `${s.label} (${s.unit})`, stroke: s.color, width: 2, scale: s.scale, spanGaps: true, ...(s.dash === undefined ? {} : { dash: s.dash }), points: { show: xs.length <= 40 } }))],
      axes: [{ stroke: '#222', grid: { stroke: '#ddd' } }, ...axes.map((a) => ({ scale: a.scale, label: a.label, side: a.side, stroke: '#222', grid: { show: a.side === 3, stroke: '#e5e5e5' } }))],
    };
    const chart = new uPlot(opts, [xs, ...series.map((s) => s.values)], el);
    const observer = new ResizeObserver(() => chart.setSize({ width: Math.max(el.clientWidth, 300), height }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [xs, series, axes, timeZone, height]);

  const titleId = `${testId}-title`;
  return (
    <figure className="chart" aria-labelledby={titleId} data-testid={testId}>
      <figcaption id={titleId}>
        <h2 className="h3">{title}</h2>
        <p className="muted small">{description}</p>
      </figcaption>
      {xs.length === 0 ? <p className="empty">No data in this period.</p> : <div ref={holder} className="chart-canvas" aria-hidden="true" />}
      {xs.length === 0 ? null : (
        <details className="chart-table">
          <summary>Show the numbers</summary>
          <div className="table-wrap">
            <table className="data compact">
              <caption className="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  {series.map((s) => (
                    <th key={s.label} scope="col" className="num">
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {xs.map((x, i) => (
                  <tr key={x}>
                    <th scope="row">{formatX(x)}</th>
                    {series.map((s) => {
                      const v = s.values[i];
                      return (
                        <td key={s.label} className="num">
                          {v === null || v === undefined ? '—' : formatY(v, s.unit)}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </figure>
  );
}

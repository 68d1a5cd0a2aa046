/** Chart-ready columns from a well's production and pressures (uPlot's aligned arrays). Pure. */
import type { WellDetail } from '../../../shared/api/station-api.ts';

export interface ProductionColumns {
  /** Unix seconds of each production day at 00:00 UTC (the chart prints them in UTC, so the day stays the day). */
  xs: number[];
  oil: (number | null)[];
  gas: (number | null)[];
  water: (number | null)[];
}

export function productionColumns(production: WellDetail['production']): ProductionColumns {
  const rows = [...production].sort((a, b) => a.date.localeCompare(b.date));
  return {
    xs: rows.map((r) => Date.parse(`${r.date}T00:00:00Z`) / 1000),
    oil: rows.map((r) => r.oilBbl),
    gas: rows.map((r) => r.gasMcf),
    water: rows.map((r) => r.waterBbl),
  };
}

export interface PressureColumns {
  xs: number[];
  metrics: string[];
  /** values[i][j]: metric i at xs[j], or null when that metric has no reading then. */
  values: (number | null)[][];
}

export function pressureColumns(pressures: WellDetail['pressures']): PressureColumns {
  const metrics = [...new Set(pressures.map((p) => p.metric))].sort();
  const times = [...new Set(pressures.map((p) => Math.floor(Date.parse(p.at) / 1000)))].filter((t) => Number.isFinite(t)).sort((a, b) => a - b);
  const column = new Map(times.map((t, j) => [t, j]));
  const values = metrics.map(() => times.map((): number | null => null));
  for (const p of pressures) {
    const i = metrics.indexOf(p.metric);
    const j = column.get(Math.floor(Date.parse(p.at) / 1000));
    const row = values[i];
    if (row !== undefined && j !== undefined) row[j] = p.psi;
  }
  return { xs: times, metrics, values };
}

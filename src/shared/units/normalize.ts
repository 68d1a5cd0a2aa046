/**
 * Reading units of protocol §1: which units fit which metric, normalisation to one unit
 * per quantity (psi, degF, ft; rates as sent) and 4-significant-digit rounding.
 * Guarantees: `roundSig4(normalizeReading(v, u))` is deterministic and the same for equal
 * quantities sent in different units where the protocol says so (1241 kPa and 180 psi,
 * 60 degC and 140 degF, 144 in and 12 ft); `roundSig4` never returns -0.
 */
import type { ReadingMetric, ReadingUnit } from '../events/types.ts';
import { unreachable } from '../unreachable.ts';

const PSI_PER_KPA = 0.1450377;
const M_PER_FT = 0.3048;

/** The units each metric accepts (the first is the normalised one). */
export const UNITS_BY_METRIC = {
  TUBING_PRESSURE: ['psi', 'kPa'],
  CASING_PRESSURE: ['psi', 'kPa'],
  LINE_PRESSURE: ['psi', 'kPa'],
  TEMPERATURE: ['degF', 'degC'],
  TANK_LEVEL: ['ft', 'in', 'm'],
  FLOW_RATE: ['bbl/d', 'mcf/d'],
} as const satisfies Record<ReadingMetric, readonly ReadingUnit[]>;

export function isUnitForMetric(metric: ReadingMetric, unit: ReadingUnit): boolean {
  const units: readonly ReadingUnit[] | undefined = UNITS_BY_METRIC[metric];
  return units !== undefined && units.includes(unit);
}

/** The value in the comparison unit of its quantity: psi, degF, ft; bbl/d and mcf/d as sent. */
export function normalizeReading(value: number, unit: ReadingUnit): number {
  switch (unit) {
    case 'kPa':
      return value * PSI_PER_KPA;
    case 'degC':
      return (value * 9) / 5 + 32;
    case 'in':
      return value / 12;
    case 'm':
      return value / M_PER_FT;
    case 'psi':
    case 'degF':
    case 'ft':
    case 'bbl/d':
    case 'mcf/d':
      return value;
    default:
      return unreachable(unit);
  }
}

/** Rounds to 4 significant digits (250.04 → 250, 251.06 → 251.1); 0 and -0 → 0; NaN/±Infinity unchanged. */
export function roundSig4(n: number): number {
  if (n === 0 || !Number.isFinite(n)) return n === 0 ? 0 : n;
  const rounded = Number(n.toPrecision(4));
  return rounded === 0 ? 0 : rounded;
}

const UNIT_LABELS = {
  psi: 'psi',
  kPa: 'kPa',
  degF: '°F',
  degC: '°C',
  ft: 'ft',
  in: 'in',
  m: 'm',
  'bbl/d': 'bbl/d',
  'mcf/d': 'mcf/d',
} as const satisfies Record<ReadingUnit, string>;

/** How a unit is shown to people (°F rather than degF). */
export function unitLabel(unit: ReadingUnit): string {
  return UNIT_LABELS[unit];
}

/**
 * Reading units (protocol §1): normalisation to psi / degF / ft, 4-significant-digit
 * rounding, the metric → unit table and display labels.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { READING_METRICS, READING_UNITS } from '../../src/shared/events/types.ts';
import type { ReadingUnit } from '../../src/shared/events/types.ts';
import { isUnitForMetric, normalizeReading, roundSig4, unitLabel, UNITS_BY_METRIC } from '../../src/shared/units/normalize.ts';

const comparable = (value: number, unit: ReadingUnit): number => roundSig4(normalizeReading(value, unit));

describe('normalizeReading converts to the comparison unit of each quantity', () => {
  it.each([
    [100, 'kPa', 14.50377],
    [60, 'degC', 140],
    [-40, 'degC', -40],
    [0, 'degC', 32],
    [144, 'in', 12],
    [3.6576, 'm', 12.000000000000002],
    [250, 'psi', 250],
    [140, 'degF', 140],
    [12, 'ft', 12],
    [450, 'bbl/d', 450],
    [1200, 'mcf/d', 1200],
  ] as const)('%d %s → %d', (value, unit, expected) => {
    expect(normalizeReading(value, unit)).toBeCloseTo(expected, 9);
  });
});

describe('roundSig4 keeps 4 significant digits', () => {
  it.each([
    [250.04, 250],
    [250.01, 250],
    [250.05, 250.1],
    [251.06, 251.1],
    [0, 0],
    [-250.04, -250],
    [123456, 123500],
    [0.000123456, 0.0001235],
    [1e21, 1e21],
    [9999.6, 10000],
  ])('%d → %d', (input, expected) => {
    expect(roundSig4(input)).toBe(expected);
  });

  it('never returns -0 (so equal contents serialise equally)', () => {
    expect(Object.is(roundSig4(-0), 0)).toBe(true);
  });

  it('is idempotent and within half a unit of the 4th digit (fast-check)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }), (x) => {
        const r = roundSig4(x);
        expect(roundSig4(r)).toBe(r);
        expect(Math.abs(r - x)).toBeLessThanOrEqual(Math.abs(x) * 5e-4 + Number.EPSILON);
      }),
    );
  });
});

describe('the same quantity in different units compares equal after normalising and rounding', () => {
  it('1724 kPa and 250 psi are the same pressure (250.0)', () => {
    expect(comparable(1724, 'kPa')).toBe(250);
    expect(comparable(250, 'psi')).toBe(250);
  });
  it('1731 kPa is 251.1 psi, a different pressure from 250 psi', () => {
    expect(comparable(1731, 'kPa')).toBe(251.1);
  });
  it('1241 kPa and 180 psi are the same pressure (protocol example)', () => {
    expect(comparable(1241, 'kPa')).toBe(comparable(180, 'psi'));
  });
  it('60 degC and 140 degF are the same temperature', () => {
    expect(comparable(60, 'degC')).toBe(140);
    expect(comparable(140, 'degF')).toBe(140);
  });
  it('12 ft, 144 in and 3.6576 m are the same tank level', () => {
    expect(comparable(12, 'ft')).toBe(12);
    expect(comparable(144, 'in')).toBe(12);
    expect(comparable(3.6576, 'm')).toBe(12);
  });
});

describe('units fit metrics', () => {
  it.each([
    ['TUBING_PRESSURE', ['psi', 'kPa']],
    ['CASING_PRESSURE', ['psi', 'kPa']],
    ['LINE_PRESSURE', ['psi', 'kPa']],
    ['TEMPERATURE', ['degF', 'degC']],
    ['TANK_LEVEL', ['ft', 'in', 'm']],
    ['FLOW_RATE', ['bbl/d', 'mcf/d']],
  ] as const)('%s takes exactly %j', (metric, units) => {
    for (const unit of READING_UNITS) expect(isUnitForMetric(metric, unit)).toBe((units as readonly string[]).includes(unit));
  });
  it('every metric has units and every unit belongs to some metric', () => {
    for (const metric of READING_METRICS) expect(UNITS_BY_METRIC[metric].length).toBeGreaterThan(0);
    for (const unit of READING_UNITS) expect(READING_METRICS.some((m) => isUnitForMetric(m, unit))).toBe(true);
  });
});

describe('unitLabel', () => {
  it.each([
    ['psi', 'psi'],
    ['kPa', 'kPa'],
    ['degF', '°F'],
    ['degC', '°C'],
    ['ft', 'ft'],
    ['in', 'in'],
    ['m', 'm'],
    ['bbl/d', 'bbl/d'],
    ['mcf/d', 'mcf/d'],
  ] as const)('%s is shown as %s', (unit, label) => {
    expect(unitLabel(unit)).toBe(label);
  });
});

/** Hash routes: every screen is a link; printing a parsed route gives it back. */
import { describe, expect, it } from 'vitest';
import type { Route } from '../../src/renderer/app/router.ts';
import { hrefOf, parseHash } from '../../src/renderer/app/router.ts';

describe('parseHash / hrefOf', () => {
  const routes: Route[] = [
    { name: 'today' },
    { name: 'conflicts', filters: { open: true } },
    { name: 'conflicts', filters: { open: false, status: 'AUTO_RESOLVED', type: 'PRODUCTION_LOGGED', wellId: 'W 12/a', strategy: 'HIGHEST_VALUE' } },
    { name: 'conflict', conflictId: 'cf-tab 3/#1', filters: { open: true, status: 'PENDING_REVIEW' } },
    { name: 'wells' },
    { name: 'well', wellId: 'W-12', days: 90 },
    { name: 'well', wellId: 'W-12', days: 30 },
    { name: 'tablets' },
    { name: 'audit' },
    { name: 'quarantine' },
    { name: 'settings' },
  ];
  for (const route of routes) {
    it(`round-trips ${hrefOf(route)}`, () => {
      expect(parseHash(hrefOf(route))).toEqual(route);
    });
  }

  it('an empty hash is Today; an unknown path is not-found', () => {
    expect(parseHash('')).toEqual({ name: 'today' });
    expect(parseHash('#/')).toEqual({ name: 'today' });
    expect(parseHash('#/nope')).toEqual({ name: 'not-found', path: '/nope' });
    expect(parseHash('#/tablets/x')).toMatchObject({ name: 'not-found' });
  });

  it('unknown filter values are dropped, not passed to the station', () => {
    expect(parseHash('#/conflicts?status=BOGUS&type=DROP_TABLE&strategy=x')).toEqual({ name: 'conflicts', filters: { open: true } });
  });
});

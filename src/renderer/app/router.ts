/**
 * Hash routes of the dashboard (`#/conflicts/ID?type=…`): pure parsing and printing, so
 * every screen is a link and the Back button works. `hrefOf(parseHash(h))` is a canonical
 * form of `h`; unknown paths parse to `not-found`, unknown filter values are dropped.
 */
import type { ConflictStatus, Strategy } from '../../shared/engine/types.ts';
import { STRATEGIES } from '../../shared/engine/types.ts';
import type { EventType } from '../../shared/events/types.ts';
import { EVENT_TYPES } from '../../shared/events/types.ts';
import { unreachable } from '../../shared/unreachable.ts';

export const CONFLICT_STATUSES: readonly ConflictStatus[] = ['PENDING_REVIEW', 'AUTO_RESOLVED', 'RESOLVED'];

export interface ConflictFilters {
  /** Open conflicts only (the default); false shows closed ones too. */
  open: boolean;
  status?: ConflictStatus;
  type?: EventType;
  wellId?: string;
  strategy?: Strategy;
}

export type Route =
  | { name: 'today' }
  | { name: 'conflicts'; filters: ConflictFilters }
  | { name: 'conflict'; conflictId: string; filters: ConflictFilters }
  | { name: 'wells' }
  | { name: 'well'; wellId: string; days: 30 | 90 }
  | { name: 'tablets' }
  | { name: 'audit' }
  | { name: 'quarantine' }
  | { name: 'settings' }
  | { name: 'not-found'; path: string };

export type RouteName = Route['name'];

function oneOf<T extends string>(values: readonly T[], x: string | null): T | undefined {
  return x !== null && (values as readonly string[]).includes(x) ? (x as T) : undefined;
}

export function filtersFromParams(params: URLSearchParams): ConflictFilters {
  const filters: ConflictFilters = { open: params.get('open') !== 'all' };
  const status = oneOf(CONFLICT_STATUSES, params.get('status'));
  const type = oneOf(EVENT_TYPES, params.get('type'));
  const strategy = oneOf(STRATEGIES, params.get('strategy'));
  const wellId = params.get('well');
  if (status !== undefined) filters.status = status;
  if (type !== undefined) filters.type = type;
  if (strategy !== undefined) filters.strategy = strategy;
  if (wellId !== null && wellId !== '') filters.wellId = wellId;
  return filters;
}

export function paramsOfFilters(filters: ConflictFilters): string {
  const params = new URLSearchParams();
  if (!filters.open) params.set('open', 'all');
  if (filters.status !== undefined) params.set('status', filters.status);
  if (filters.type !== undefined) params.set('type', filters.type);
  if (filters.wellId !== undefined) params.set('well', filters.wellId);
  if (filters.strategy !== undefined) params.set('strategy', filters.strategy);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [pathPart = '', query = ''] = raw.split('?', 2);
  const params = new URLSearchParams(query);
  const segments = pathPart.split('/').filter((s) => s !== '');
  const [first, second, ...rest] = segments;
  if (rest.length > 0) return { name: 'not-found', path: pathPart };
  const id = second === undefined ? null : decodeSegment(second);
  if (second !== undefined && id === null) return { name: 'not-found', path: pathPart };
  switch (first) {
    case undefined:
    case 'today':
      return second === undefined ? { name: 'today' } : { name: 'not-found', path: pathPart };
    case 'conflicts':
      return id === null ? { name: 'conflicts', filters: filtersFromParams(params) } : { name: 'conflict', conflictId: id, filters: filtersFromParams(params) };
    case 'wells':
      return id === null ? { name: 'wells' } : { name: 'well', wellId: id, days: params.get('days') === '90' ? 90 : 30 };
    case 'tablets':
    case 'audit':
    case 'quarantine':
    case 'settings':
      return second === undefined ? { name: first } : { name: 'not-found', path: pathPart };
    default:
      return { name: 'not-found', path: pathPart };
  }
}

export function hrefOf(route: Route): string {
  switch (route.name) {
    case 'today':
      return '#/today';
    case 'conflicts':
      return `#/conflicts${paramsOfFilters(route.filters)}`;
    case 'conflict':
      return `#/conflicts/${encodeURIComponent(route.conflictId)}${paramsOfFilters(route.filters)}`;
    case 'wells':
      return '#/wells';
    case 'well':
      return `#/wells/${encodeURIComponent(route.wellId)}${route.days === 90 ? '?days=90' : ''}`;
    case 'tablets':
    case 'audit':
    case 'quarantine':
    case 'settings':
      return `#/${route.name}`;
    case 'not-found':
      return `#/${route.path}`;
    default:
      return unreachable(route);
  }
}

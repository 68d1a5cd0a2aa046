/**
 * The Electron shell's decisions, kept free of Electron so they are unit-tested on plain
 * Node: what the tray says, when a notification is due, where the window reopens, and
 * whether an update check may use the satellite link.
 */
import type { LinkStatus } from '../shared/api/station-api.ts';

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_BOUNDS: Bounds = { x: 80, y: 60, width: 1280, height: 800 };
const MIN_WIDTH = 800;
const MIN_HEIGHT = 560;

const LINK_WORDS: Record<LinkStatus['state'], string> = {
  ONLINE: 'HQ link up',
  DEGRADED: 'HQ link slow',
  OFFLINE: 'HQ link down',
  NOT_CONFIGURED: 'no HQ link set up',
};

export function trayTooltip(pending: number, link: LinkStatus['state']): string {
  const decisions = pending === 0 ? 'nothing waits for a decision' : `${pending} conflict${pending === 1 ? '' : 's'} need${pending === 1 ? 's' : ''} your decision`;
  return `WellOS Field Station — ${decisions} · ${LINK_WORDS[link]}`;
}

/** A notification is due when more conflicts wait for review than the supervisor was last told about. */
export function newlyPending(lastNotified: number, pendingNow: number): number {
  return pendingNow > lastNotified ? pendingNow - lastNotified : 0;
}

/** The saved window bounds if they are still on a connected display (screens change), else the default. */
export function restoreBounds(saved: unknown, displays: readonly Bounds[]): Bounds {
  if (typeof saved !== 'object' || saved === null) return DEFAULT_BOUNDS;
  const b = saved as Partial<Bounds>;
  if (![b.x, b.y, b.width, b.height].every((n) => typeof n === 'number' && Number.isFinite(n))) return DEFAULT_BOUNDS;
  const bounds = { x: b.x ?? 0, y: b.y ?? 0, width: Math.max(MIN_WIDTH, b.width ?? 0), height: Math.max(MIN_HEIGHT, b.height ?? 0) };
  // Visible enough: the window's top-left 100 × 40 px (its title bar) is on some display.
  const visible = displays.some((d) => bounds.x + 100 > d.x && bounds.x < d.x + d.width - 100 && bounds.y >= d.y && bounds.y + 40 <= d.y + d.height);
  return visible ? bounds : DEFAULT_BOUNDS;
}

export type UpdateGate = { check: true } | { check: false; reason: string };

/**
 * Updates come from HQ over the satellite link: check only while the link is ONLINE and
 * today's byte budget has room for at least a check; never on a link the relay calls
 * degraded or down.
 */
export function updateGate(link: LinkStatus, dailyBudgetBytes: number | null): UpdateGate {
  if (link.state !== 'ONLINE') return { check: false, reason: `the HQ link is ${LINK_WORDS[link.state]}` };
  if (dailyBudgetBytes !== null && link.bytesToday >= dailyBudgetBytes) return { check: false, reason: "today's satellite byte budget is used up" };
  return { check: true };
}

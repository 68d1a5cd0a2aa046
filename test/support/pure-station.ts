/**
 * A station without a database: the pure engine over a Map of key states. Used by the
 * fast-check properties (thousands of runs); the SQLite ingest is checked against the
 * same scenarios in integration tests.
 */
import { engineEventOf } from '../../src/shared/engine/content.ts';
import { applyDecision, applyEvent, emptyKeyState } from '../../src/shared/engine/key-reducer.ts';
import type { EngineSettings, KeyState } from '../../src/shared/engine/types.ts';
import { recordKeyOf } from '../../src/shared/events/record-key.ts';
import { validateEvent } from '../../src/shared/events/validate-event.ts';

export interface ScenarioBatch {
  kind: 'batch';
  device: string;
  skewMs: number;
  events: Record<string, unknown>[];
  /** For each event: baseVersion = the key's version after the first `pullAfter` steps. */
  pullAfter: (number | null)[];
}
export interface ScenarioDecision {
  kind: 'decision';
  key: string;
}
export type ScenarioStep = ScenarioBatch | ScenarioDecision;

export interface RecordView {
  version: number;
  status: string;
  valueFrom: string | null;
  conflict: { status: string; strategy: string; candidates: string[]; distinctValues: number; winner: string | null } | null;
}

export class PureStation {
  readonly states = new Map<string, KeyState>();
  readonly #settings: EngineSettings;
  constructor(settings: EngineSettings) {
    this.#settings = settings;
  }

  keyOf(raw: Record<string, unknown>): string {
    const v = validateEvent({ ...raw, baseVersion: null });
    if (!v.ok) throw new Error(`scenario event does not validate: ${v.message}`);
    return recordKeyOf(v.event, this.#settings);
  }

  ingest(device: string, skewMs: number, raws: readonly Record<string, unknown>[]): void {
    for (const raw of raws) {
      const v = validateEvent(raw);
      if (!v.ok) throw new Error(`scenario event does not validate: ${v.message}`);
      const key = recordKeyOf(v.event, this.#settings);
      const state = this.states.get(key) ?? emptyKeyState(key, v.event.type);
      this.states.set(key, applyEvent(state, engineEventOf(v.event, device, skewMs), this.#settings).state);
    }
  }

  /** Decides the key's open conflict, if any, choosing the candidate with the smallest id (an order-free choice). */
  decide(key: string, decisionId: string): void {
    const state = this.states.get(key);
    const open = state?.conflict;
    if (state === undefined || open === null || open === undefined || state.type === 'NOTES_ADDED' || state.type === 'PHOTO_ATTACHED') return;
    const chosenId = [...open.candidates].sort()[0]!;
    const chosen = state.items.find((it) => it.id === chosenId)!;
    const out = applyDecision(
      state,
      { id: decisionId, conflictId: open.id, chosen: chosenId, decidedBy: 'sup', comment: 'checked', timeMs: chosen.timeMs, content: chosen.content, nums: chosen.nums, label: chosen.label },
      this.#settings,
    );
    if (!out.ok) throw new Error(out.error.message);
    this.states.set(key, out.state);
  }

  view(): Record<string, RecordView> {
    const out: Record<string, RecordView> = {};
    for (const [key, s] of [...this.states].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const c = s.conflict;
      out[key] = {
        version: s.version,
        status: s.status,
        valueFrom: s.valueFrom,
        conflict: c === null ? null : { status: c.status, strategy: c.strategy, candidates: c.candidates, distinctValues: c.distinctValues, winner: c.winner },
      };
    }
    return out;
  }
}

/** Runs scenario steps in `order`, resolving pulls against the versions after the first N arrivals. */
export function runScenario(settings: EngineSettings, steps: readonly ScenarioStep[], order: readonly number[]): PureStation {
  const station = new PureStation(settings);
  const versionsAfter: Map<string, number>[] = [new Map()];
  for (const index of order) {
    const step = steps[index]!;
    if (step.kind === 'decision') station.decide(step.key, `dec-${index}`);
    else {
      const events = step.events.map((e, i) => {
        const n = step.pullAfter[i];
        if (n === null || n === undefined) return e;
        return { ...e, baseVersion: versionsAfter[n]?.get(station.keyOf(e)) ?? null };
      });
      station.ingest(step.device, step.skewMs, events);
    }
    versionsAfter.push(new Map([...station.states].map(([k, s]) => [k, s.version])));
  }
  return station;
}

/**
 * A random allowed interleaving: decisions and pull points are barriers (everything
 * listed before them arrives before them); between barriers, devices' steps are merged
 * at random keeping each device's own order.
 */
export function randomInterleaving(steps: readonly ScenarioStep[], random: () => number): number[] {
  const barriers = new Set<number>([0, steps.length]);
  steps.forEach((s, i) => {
    if (s.kind === 'decision') {
      barriers.add(i);
      barriers.add(i + 1);
    } else for (const n of s.pullAfter) if (n !== null) barriers.add(n);
  });
  const cuts = [...barriers].sort((a, b) => a - b);
  const order: number[] = [];
  for (let c = 0; c + 1 < cuts.length; c++) {
    const byDevice = new Map<string, number[]>();
    for (let i = cuts[c]!; i < cuts[c + 1]!; i++) {
      const s = steps[i]!;
      const device = s.kind === 'decision' ? '#decision' : s.device;
      byDevice.set(device, [...(byDevice.get(device) ?? []), i]);
    }
    const queues = [...byDevice.values()];
    while (queues.some((q) => q.length > 0)) {
      const live = queues.filter((q) => q.length > 0);
      order.push(live[Math.floor(random() * live.length)]!.shift()!);
    }
  }
  return order;
}

export { mulberry32 } from '../../tools/device-sim/prng.ts';

/**
 * Down from HQ (protocol §5): reference data (wells with their primary product, equipment,
 * operators) and policy, applied in one transaction with an audit entry. HQ cannot weaken
 * a locked type: a policy that would set a safety type to an automatic strategy is refused
 * whole and the refusal is audited. HQ's decisions on conflicts are received and counted;
 * applying them to the station's conflicts is not done yet.
 */
import { z } from 'zod';
import { updatePolicy } from '../../../shared/engine/policy.ts';
import { STRATEGIES, type Strategy } from '../../../shared/engine/types.ts';
import { EVENT_TYPES, type EventType } from '../../../shared/events/types.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { StationDb } from '../db/open-database.ts';
import { readSettings, writeSettings } from '../settings/settings-store.ts';

const updatesSchema = z.object({
  wells: z.array(z.object({ wellId: z.string().min(1).max(200), name: z.string().max(200).nullable().optional(), primaryProduct: z.string() })),
  equipment: z.array(z.record(z.string(), z.unknown())),
  operators: z.array(z.record(z.string(), z.unknown())),
  policy: z.record(z.string(), z.unknown()).nullable(),
  decisions: z.array(z.record(z.string(), z.unknown())),
  nextCursor: z.string().regex(/^\d{1,15}$/),
});
export type HqUpdates = z.infer<typeof updatesSchema>;

export function parseHqUpdates(body: unknown): HqUpdates | null {
  const parsed = updatesSchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

export function hqUpdatesCursor(db: StationDb): string {
  const row = db.prepare("SELECT value FROM settings WHERE key = 'hqUpdatesCursor'").get() as { value: string } | undefined;
  return row === undefined ? '0' : (JSON.parse(row.value) as string);
}

export interface AppliedUpdates {
  wells: number;
  equipment: number;
  operators: number;
  policy: 'unchanged' | 'applied' | 'refused';
  decisionsReceived: number;
}

export function applyHqUpdates(db: StationDb, updates: HqUpdates, at: string): AppliedUpdates {
  const nothing = updates.wells.length + updates.equipment.length + updates.operators.length + updates.decisions.length === 0 && updates.policy === null;
  if (nothing) {
    // Nothing new at HQ: no write, no audit entry.
    if (updates.nextCursor !== hqUpdatesCursor(db)) writeSettings(db, { hqUpdatesCursor: updates.nextCursor }, at);
    return { wells: 0, equipment: 0, operators: 0, policy: 'unchanged', decisionsReceived: 0 };
  }
  return db
    .transaction((): AppliedUpdates => {
      const wellRow = db.prepare(
        'INSERT INTO wells (id, name, primary_product, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, primary_product = excluded.primary_product, updated_at = excluded.updated_at',
      );
      for (const w of updates.wells) wellRow.run(w.wellId, w.name ?? null, w.primaryProduct === 'gas' ? 'gas' : 'oil', at);
      const equipmentRow = db.prepare('INSERT INTO equipment (id, well_id, name, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET well_id = excluded.well_id, name = excluded.name, updated_at = excluded.updated_at');
      for (const e of updates.equipment) if (typeof e['equipmentId'] === 'string') equipmentRow.run(e['equipmentId'], typeof e['wellId'] === 'string' ? e['wellId'] : null, typeof e['name'] === 'string' ? e['name'] : null, at);
      const operatorRow = db.prepare('INSERT INTO operators (id, name, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at');
      for (const o of updates.operators) if (typeof o['operatorId'] === 'string') operatorRow.run(o['operatorId'], typeof o['name'] === 'string' ? o['name'] : null, at);
      let policy: AppliedUpdates['policy'] = 'unchanged';
      let refusal: string | null = null;
      if (updates.policy !== null) {
        const change: Partial<Record<EventType, Strategy>> = {};
        for (const [type, strategy] of Object.entries(updates.policy)) {
          if ((EVENT_TYPES as readonly string[]).includes(type) && (STRATEGIES as readonly unknown[]).includes(strategy)) change[type as EventType] = strategy as Strategy;
        }
        const checked = updatePolicy(readSettings(db).policy, change);
        if (checked.ok) {
          writeSettings(db, { policy: checked.policy }, at);
          policy = 'applied';
        } else {
          policy = 'refused';
          refusal = checked.message;
        }
      }
      writeSettings(db, { hqUpdatesCursor: updates.nextCursor }, at);
      const applied: AppliedUpdates = { wells: updates.wells.length, equipment: updates.equipment.length, operators: updates.operators.length, policy, decisionsReceived: updates.decisions.length };
      appendAudit(db, { at, actor: 'hq', action: 'hq.updates', subject: `cursor ${updates.nextCursor}`, details: { ...applied, ...(refusal === null ? {} : { refusal }) } });
      return applied;
    })
    .immediate();
}

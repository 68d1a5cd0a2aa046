/**
 * The shared engine applied across stations (issue #6): in the transaction that stores a
 * relay batch, every `event` and `decision` item is applied to HQ's state of its record
 * key, so two field offices reporting the same well-day meet in one HQ record and, when
 * they disagree, one HQ-level conflict decided by the tenant's policy.
 *
 * - Dedupe across stations: the first relay of an id claims it in `engine_inputs`
 *   (engine-inputs.ts; two receivers racing on one id take turns on its unique index).
 *   A later relay with the same content digest, by any station, is a duplicate: it counts
 *   once and only adds what its station knows (edges, its name); the same id with other
 *   content is rejected as EVENT_ID_REUSED and not applied.
 * - Locking: the rows of every key the batch touches are locked in one sorted statement
 *   before any id is claimed (record-store.ts), so concurrent batches on the same key
 *   serialise and the result equals a serial apply.
 * - Speed: a fixed number of round trips per batch, whatever its size: settings, wells,
 *   key rows (insert + lock/load), claims, a payload lookup when a value moves back to an
 *   older item, then one write each for records, conflicts and rejects.
 * - Bad input (an item that does not validate, a reused id) is stored in `engine_rejects`
 *   with its reason and counted; it never fails the batch or its acknowledgement. Nor does
 *   an item the engine fails on: it is rejected as ENGINE_FAILED and its id released.
 */
import type { BatchItem } from './apply-batch.ts';
import type { SqlExecutor } from './db.ts';
import { claimInputs, releaseClaims } from './engine-inputs.ts';
import { loadTenantSettings, loadWells } from './engine-settings.ts';
import { addDuplicate, addEvent, addStationDecision } from './key-steps.ts';
import { ConflictLog, lockRecords, writeRecords } from './record-store.ts';
import { failureOf, parseRelayedItem, reuseOf, type RejectedItem, type RelayedDecision, type RelayedEvent } from './relayed-items.ts';

export interface EngineCounts {
  /** Events and decisions HQ had not held, applied to their keys. */
  applied: number;
  /** Ids HQ already held with the same content (resent, or relayed by another station). */
  duplicates: number;
  /** Ids HQ already held with other content: rejected, not applied. */
  reused: number;
  /** Items whose data does not validate: rejected, not applied. */
  invalid: number;
  /** Items the engine failed on (a fault at HQ, not in the data): rejected, not applied. */
  failed: number;
}

export const NO_ENGINE_COUNTS: EngineCounts = { applied: 0, duplicates: 0, reused: 0, invalid: 0, failed: 0 };

export interface ItemSource {
  stationId: string;
  lane: string;
}

type Placed = RelayedEvent | RelayedDecision;

async function writeRejects(tx: SqlExecutor, s: string, source: ItemSource, rejects: readonly RejectedItem[]): Promise<void> {
  if (rejects.length === 0) return;
  const rows = rejects.map((r) => ({ seq: r.seq, item_id: r.itemId, kind: r.itemKind, code: r.code, message: r.message }));
  await tx.query(
    `INSERT INTO ${s}.engine_rejects (station_id, lane, seq, item_id, kind, code, message)
     SELECT $2, $3, r.seq, r.item_id, r.kind, r.code, r.message FROM json_to_recordset($1::json) AS r(seq bigint, item_id text, kind text, code text, message text)
     ON CONFLICT (station_id, lane, seq) DO NOTHING`,
    [JSON.stringify(rows), source.stationId, source.lane],
  );
}

/** Applies the engine items of one batch (already stored in `items`) inside its transaction. */
export async function applyToEngine(tx: SqlExecutor, s: string, source: ItemSource, items: readonly BatchItem[]): Promise<EngineCounts> {
  const base = await loadTenantSettings(tx, s);
  const placed: Placed[] = [];
  const rejects: RejectedItem[] = [];
  for (const item of items) {
    const parsed = parseRelayedItem(item, base);
    if (parsed === undefined) continue;
    if (parsed.kind === 'rejected') rejects.push(parsed);
    else placed.push(parsed);
  }
  const counts: EngineCounts = { ...NO_ENGINE_COUNTS, invalid: rejects.length };
  if (placed.length > 0) {
    const settings = { ...base, wells: await loadWells(tx, s, [...new Set(placed.map((it) => it.wellId))]) };
    const states = await lockRecords(tx, s, placed);
    const held = await claimInputs(tx, s, source.stationId, placed);
    const seen = new Map<string, string>();
    const conflicts = new ConflictLog();
    const failedClaims = new Set<string>();
    for (const item of placed) {
      const st = states.get(item.key);
      if (st === undefined) throw new Error(`record ${item.key} was not locked`);
      const digest = seen.get(item.id) ?? held.get(item.id);
      if (digest !== undefined && digest !== item.digest) {
        counts.reused += 1;
        rejects.push(reuseOf(item));
        continue;
      }
      try {
        if (digest === undefined) {
          conflicts.record(st, item.kind === 'event' ? addEvent(st, item, source.stationId, settings) : addStationDecision(st, item, source.stationId, settings));
          seen.set(item.id, item.digest);
          counts.applied += 1;
        } else {
          conflicts.record(st, addDuplicate(st, item, source.stationId, settings));
          counts.duplicates += 1;
        }
      } catch (error) {
        // A step that throws left its key's state as it was (key-steps.ts): the item is
        // rejected, its id released for a later relay, and the rest of the batch goes on.
        counts.failed += 1;
        rejects.push(failureOf(item, error));
        if (digest === undefined) failedClaims.add(item.id);
      }
    }
    await releaseClaims(tx, s, [...failedClaims].filter((id) => !seen.has(id)));
    await writeRecords(tx, s, states.values());
    await conflicts.write(tx, s, states.values());
  }
  await writeRejects(tx, s, source, rejects);
  return counts;
}

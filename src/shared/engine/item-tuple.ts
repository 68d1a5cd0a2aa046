/**
 * The storage form of one item of a key's engine state: a positional tuple instead of a
 * named object, about a third of its JSON size. The station's `records.state` and HQ's
 * `records` keep items this way.
 */
import type { KeyItem } from './types.ts';

export type ItemTuple = [
  id: string,
  kind: 0 | 1,
  device: string | null,
  operatorId: string,
  occurredMs: number,
  timeMs: number,
  content: string,
  nums: number[],
  label: string,
  skewMs: number,
  sawReview: 0 | 1,
  supersedes: number[],
  ownSupersedes: number[],
];

export function itemToTuple(it: KeyItem): ItemTuple {
  return [it.id, it.kind === 'event' ? 0 : 1, it.device, it.operatorId, it.occurredMs, it.timeMs, it.content, it.nums, it.label, it.skewMs, it.sawReview ? 1 : 0, it.supersedes, it.ownSupersedes];
}

export function tupleToItem(t: ItemTuple): KeyItem {
  return {
    id: t[0],
    kind: t[1] === 0 ? 'event' : 'decision',
    device: t[2],
    operatorId: t[3],
    occurredMs: t[4],
    timeMs: t[5],
    content: t[6],
    nums: t[7],
    label: t[8],
    skewMs: t[9],
    sawReview: t[10] === 1,
    supersedes: t[11],
    ownSupersedes: t[12],
  };
}

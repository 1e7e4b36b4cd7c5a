// How a burst of edits is queued: edits apply one after another to the latest text, and
// while one is being computed, later settings of the same field replace each other, so a
// dragged slider never falls behind.

import type { Change } from "./bindings/Change.js";

export interface Queued {
  slot: string;
  change: Change;
  /** When the first edit merged into this one was made (performance.now()). */
  started: number;
}

/** `pending` with `next` queued after it. */
export function enqueue(pending: Change[], next: Change): Change[] {
  const last = pending[pending.length - 1];
  if (last && last.kind === "set" && next.kind === "set" && last.path === next.path) {
    return [...pending.slice(0, -1), next];
  }
  return [...pending, next];
}

/** `queue` with an edit of `slot` added, merged into the last one when it sets the same field. */
export function push(queue: Queued[], item: Queued): Queued[] {
  const last = queue[queue.length - 1];
  if (last && last.slot === item.slot) {
    const merged = enqueue([last.change], item.change);
    if (merged.length === 1) return [...queue.slice(0, -1), { slot: item.slot, change: merged[0], started: last.started }];
  }
  return [...queue, item];
}

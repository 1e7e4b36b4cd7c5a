// The changes the editor sends to the engine, and how a burst of them is queued: edits apply
// one after another to the latest text, and while one is being computed, later settings of
// the same field replace each other, so a dragged slider never falls behind.

export type Change =
  | { kind: "set"; path: string; value: string }
  | { kind: "duplicate_rung"; rung: number }
  | { kind: "remove_rung"; rung: number }
  | { kind: "move_rung"; from: number; to: number }
  | { kind: "reference_ladder"; name: string }
  | { kind: "normalize_shares" };

/** `pending` with `next` queued after it. */
export function enqueue(pending: Change[], next: Change): Change[] {
  const last = pending[pending.length - 1];
  if (last && last.kind === "set" && next.kind === "set" && last.path === next.path) {
    return [...pending.slice(0, -1), next];
  }
  return [...pending, next];
}

// Deletes with Undo. A delete is NOT sent to the backend when the user asks
// for it: the stories are hidden at once and a toast offers Undo; the
// `delete_stories` command is only sent when the toast expires (about 6 s), or
// when the window is closing. Undo simply forgets the pending delete, so
// nothing has to be restored.

export interface PendingDelete {
  token: number;
  ids: number[];
  label: string;
}

export class PendingDeletes {
  private next = 1;
  private timers = new Map<number, { entry: PendingDelete; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly commit: (ids: number[]) => void,
    private readonly delayMs = 6000,
    private readonly onChange: () => void = () => {},
  ) {}

  schedule(ids: number[], label: string): PendingDelete {
    const entry: PendingDelete = { token: this.next++, ids: [...ids], label };
    const timer = setTimeout(() => this.fire(entry.token), this.delayMs);
    this.timers.set(entry.token, { entry, timer });
    this.onChange();
    return entry;
  }

  /** Cancels a pending delete; false when it was already sent. */
  undo(token: number): boolean {
    const t = this.timers.get(token);
    if (!t) return false;
    clearTimeout(t.timer);
    this.timers.delete(token);
    this.onChange();
    return true;
  }

  /** Sends every pending delete now (the window is closing). */
  flushAll(): void {
    for (const token of [...this.timers.keys()]) this.fire(token);
  }

  /** Ids hidden from the list while their delete is pending. */
  hiddenIds(): Set<number> {
    const s = new Set<number>();
    for (const { entry } of this.timers.values()) for (const id of entry.ids) s.add(id);
    return s;
  }

  get size(): number {
    return this.timers.size;
  }

  private fire(token: number): void {
    const t = this.timers.get(token);
    if (!t) return;
    clearTimeout(t.timer);
    this.timers.delete(token);
    this.onChange();
    this.commit(t.entry.ids);
  }
}

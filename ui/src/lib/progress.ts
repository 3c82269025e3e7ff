// Reading progress: computed from the reader frame's scroll position, saved
// through a throttle (at most one `set_progress` per interval while scrolling,
// the last value always sent), and used to restore the position on reopen.

/** Fraction read, 0..1. A story that fits on one screen counts as read through. */
export function progressFromScroll(scrollTop: number, scrollHeight: number, clientHeight: number): number {
  const range = scrollHeight - clientHeight;
  if (range <= 1) return 1;
  return Math.min(1, Math.max(0, scrollTop / range));
}

/** True when the end of the story is on screen (within `slack` px). */
export function isAtEnd(scrollTop: number, scrollHeight: number, clientHeight: number, slack = 32): boolean {
  return scrollTop + clientHeight >= scrollHeight - slack;
}

export function scrollTopFor(progress: number, scrollHeight: number, clientHeight: number): number {
  const p = Number.isFinite(progress) ? Math.min(1, Math.max(0, progress)) : 0;
  return Math.round(p * Math.max(0, scrollHeight - clientHeight));
}

export interface ProgressSaverOptions {
  send: (id: number, progress: number) => void | Promise<void>;
  /** Minimum time between two sends, in ms. */
  intervalMs?: number;
  /** Changes smaller than this are not worth a write. */
  minDelta?: number;
  now?: () => number;
}

export interface ProgressSaver {
  /** Records the latest position of story `id`. */
  update(id: number, progress: number): void;
  /** Sends the pending value now (leaving a story, closing the window). */
  flush(): void;
  /** Forgets the pending value without sending it. */
  cancel(): void;
}

export function createProgressSaver({
  send,
  intervalMs = 1000,
  minDelta = 0.005,
  now = () => Date.now(),
}: ProgressSaverOptions): ProgressSaver {
  let lastSentAt = -Infinity;
  const lastSent = new Map<number, number>();
  let pending: { id: number; progress: number } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const clearTimer = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };

  const sendPending = () => {
    clearTimer();
    if (!pending) return;
    const { id, progress } = pending;
    pending = null;
    const prev = lastSent.get(id);
    if (prev !== undefined && Math.abs(prev - progress) < minDelta && progress !== 1) return;
    lastSent.set(id, progress);
    lastSentAt = now();
    void Promise.resolve()
      .then(() => send(id, progress))
      .catch(() => {
        // A lost progress write is not worth an error message; the next one retries.
        lastSent.delete(id);
      });
  };

  return {
    update(id, progress) {
      if (pending && pending.id !== id) sendPending();
      pending = { id, progress };
      const wait = lastSentAt + intervalMs - now();
      if (wait <= 0) sendPending();
      else if (timer === null) timer = setTimeout(sendPending, wait);
    },
    flush: sendPending,
    cancel() {
      clearTimer();
      pending = null;
    },
  };
}

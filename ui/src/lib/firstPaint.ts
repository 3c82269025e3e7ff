// The window's start-up: the marks read by the e2e driver and
// bench/startup.sh (performance marks named gloss:*, and the first painted
// list as data-first-list), and the moment after which the work that the
// first paint does not need may begin (`afterStart`).

let marked = false;

/** A start-up mark (`gloss:<name>`), ms from the navigation start. */
export function markStartup(name: string): void {
  performance.mark(`gloss:${name}`);
}

export function markFirstListPainted(
  raf: (cb: () => void) => unknown = (cb) => requestAnimationFrame(cb),
): void {
  if (marked) return;
  marked = true;
  raf(() => {
    markStartup('first-list');
    document.documentElement.dataset.firstList = String(performance.now());
  });
}

let started: () => void = () => {};
const startedPromise = new Promise<void>((resolve) => {
  started = resolve;
});

/**
 * Resolves once the first screen is done (painted, or failed and showing
 * its error): listeners, feeds, the updater, the recovery check and the
 * backend's deferred work wait for it, so that none of them competes with
 * the first paint.
 */
export function afterStart(): Promise<void> {
  return startedPromise;
}

/** The first screen is done: let the rest begin (see `afterStart`). */
export function startDone(): void {
  started();
}

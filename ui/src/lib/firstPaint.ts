// The start-up mark read by the e2e driver and bench/startup.sh: set once,
// after the first page of the list has been rendered and painted.

let marked = false;

export function markFirstListPainted(
  raf: (cb: () => void) => unknown = (cb) => requestAnimationFrame(cb),
): void {
  if (marked) return;
  marked = true;
  raf(() => {
    performance.mark('gloss:first-list');
    document.documentElement.dataset.firstList = String(performance.now());
  });
}

// Helpers for the Vitest suites (happy-dom); nothing in the app imports this.

/** A reader's `.story-body` holding `html`, alone in the test document. */
export function storyBody(html: string): HTMLElement {
  const div = document.createElement('div');
  div.className = 'story-body';
  div.innerHTML = html;
  document.body.replaceChildren(div);
  return div;
}

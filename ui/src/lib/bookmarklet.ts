// The bookmarklet that sends the page open in the browser to Gloss through
// a gloss://save?url=… link (the app accepts nothing else from a link).

export const BOOKMARKLET = "javascript:location.href='gloss://save?url='+encodeURIComponent(location.href)";

/** The gloss:// link the bookmarklet opens for a page. */
export function saveLinkFor(pageUrl: string): string {
  return `gloss://save?url=${encodeURIComponent(pageUrl)}`;
}

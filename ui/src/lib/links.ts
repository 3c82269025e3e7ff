// What a click on a link inside the reader frame does. The frame never
// navigates: the parent cancels every link click and then either scrolls to
// an anchor in the story, hands an http/https/mailto URL to the backend's
// open_external (the system browser), or refuses.

import { isExternalLink } from './urls';

export type LinkAction = { kind: 'anchor'; id: string } | { kind: 'external'; url: string } | { kind: 'refuse' };

export interface LinkLike {
  getAttribute(name: string): string | null;
  /** The resolved URL (HTMLAnchorElement.href). */
  href: string;
}

export function linkAction(a: LinkLike): LinkAction {
  const raw = (a.getAttribute('href') ?? '').trim();
  if (raw.startsWith('#')) {
    let id = raw.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch {
      // Keep the raw fragment.
    }
    return { kind: 'anchor', id };
  }
  return isExternalLink(a.href) ? { kind: 'external', url: a.href } : { kind: 'refuse' };
}

/** The <a href> that a click landed in, for nodes of any document (the frame's included). */
export function linkFromEvent(target: EventTarget | null): (Element & LinkLike) | null {
  const node = target as (Node & { closest?: (s: string) => Element | null; parentElement?: Element | null }) | null;
  if (!node) return null;
  // Text nodes have no closest(): start from their parent.
  const el = typeof node.closest === 'function' ? node : node.parentElement;
  const a = el && typeof el.closest === 'function' ? el.closest('a[href]') : null;
  return a as (Element & LinkLike) | null;
}

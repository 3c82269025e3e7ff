import { describe, expect, test } from 'vitest';
import { linkAction, linkFromEvent } from './links';

function anchor(href: string): HTMLAnchorElement {
  const a = document.createElement('a');
  a.setAttribute('href', href);
  return a;
}

describe('links in the reader', () => {
  test('web and mail links go to the system browser', () => {
    expect(linkAction(anchor('https://example.org/x'))).toEqual({ kind: 'external', url: 'https://example.org/x' });
    expect(linkAction(anchor('mailto:ed@example.org'))).toEqual({ kind: 'external', url: 'mailto:ed@example.org' });
  });

  test('other schemes are refused', () => {
    for (const href of ['javascript:alert(1)', 'file:///etc/passwd', 'gloss-asset://localhost/abc', 'data:text/html,hi']) {
      expect(linkAction(anchor(href)), href).toEqual({ kind: 'refuse' });
    }
  });

  test('fragment links scroll inside the story', () => {
    expect(linkAction(anchor('#notes'))).toEqual({ kind: 'anchor', id: 'notes' });
    expect(linkAction(anchor('#caf%C3%A9'))).toEqual({ kind: 'anchor', id: 'café' });
    expect(linkAction(anchor('#%E0%A4%A'))).toEqual({ kind: 'anchor', id: '%E0%A4%A' });
  });

  test('a click on text or an image inside a link finds the link', () => {
    const a = anchor('https://example.org/');
    const img = document.createElement('img');
    const text = document.createTextNode('read more');
    a.append(img, text);
    document.body.append(a);
    expect(linkFromEvent(img)).toBe(a);
    expect(linkFromEvent(text)).toBe(a);
    expect(linkFromEvent(document.body)).toBeNull();
    expect(linkFromEvent(null)).toBeNull();
    a.remove();
  });
});

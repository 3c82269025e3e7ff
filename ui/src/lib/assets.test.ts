import { describe, expect, test } from 'vitest';
import { assetUrl, detectPlatform, rewriteAssetUrls } from './assets';

const SHA = 'a'.repeat(64);

describe('asset URLs', () => {
  test('detects Windows from the user agent', () => {
    expect(detectPlatform('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Edg/120')).toBe('windows');
    expect(detectPlatform('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15')).toBe('other');
    expect(detectPlatform('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15')).toBe('other');
  });

  test('maps the custom scheme to http://gloss-asset.localhost on Windows only', () => {
    const url = `gloss-asset://localhost/${SHA}`;
    expect(assetUrl(url, 'windows')).toBe(`http://gloss-asset.localhost/${SHA}`);
    expect(assetUrl(url, 'other')).toBe(url);
  });

  test('leaves other URLs alone', () => {
    expect(assetUrl('https://example.com/a.png', 'windows')).toBe('https://example.com/a.png');
    expect(assetUrl('data:image/png;base64,AAAA', 'windows')).toBe('data:image/png;base64,AAAA');
  });

  test('rewrites every asset URL in stored HTML on Windows', () => {
    const html = `<p><img src="gloss-asset://localhost/${SHA}"><img src="gloss-asset://localhost/${'b'.repeat(64)}"></p>`;
    const out = rewriteAssetUrls(html, 'windows');
    expect(out).not.toContain('gloss-asset://');
    expect(out.match(/http:\/\/gloss-asset\.localhost\//g)).toHaveLength(2);
    expect(rewriteAssetUrls(html, 'other')).toBe(html);
  });
});

// Images of saved stories are served by the app's `gloss-asset` URI scheme.
// The stored HTML always says `gloss-asset://localhost/<sha256>`; WebView2 on
// Windows cannot load custom schemes directly, so Tauri serves them there as
// `http://gloss-asset.localhost/<sha256>`.

export const ASSET_PREFIX = 'gloss-asset://localhost/';
export const WINDOWS_ASSET_PREFIX = 'http://gloss-asset.localhost/';

export type Platform = 'windows' | 'other';

export function detectPlatform(userAgent: string = globalThis.navigator?.userAgent ?? ''): Platform {
  return userAgent.includes('Windows') ? 'windows' : 'other';
}

/** Maps one asset URL for the platform; any other URL is returned unchanged. */
export function assetUrl(url: string, platform: Platform = detectPlatform()): string {
  if (platform === 'windows' && url.startsWith(ASSET_PREFIX)) {
    return WINDOWS_ASSET_PREFIX + url.slice(ASSET_PREFIX.length);
  }
  return url;
}

/**
 * Rewrites every asset URL inside stored (sanitized) article HTML. The prefix
 * can't occur in text by accident in a way that matters: at worst a sentence
 * quoting the URL shows the Windows form.
 */
export function rewriteAssetUrls(html: string, platform: Platform = detectPlatform()): string {
  if (platform !== 'windows') return html;
  return html.replaceAll(ASSET_PREFIX, WINDOWS_ASSET_PREFIX);
}

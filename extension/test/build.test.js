import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_ID, FILES, FIREFOX_ID, checkPackage, chromiumId, manifestFor } from '../build.mjs';

const source = JSON.parse(await readFile(new URL('../src/manifest.json', import.meta.url), 'utf8'));
const files = ['manifest.json', ...FILES];

describe('the manifests made from one source', () => {
  it('gives Chromium the key of the id Gloss allows, and a service worker', () => {
    expect(chromiumId(source.key)).toBe(CHROMIUM_ID);
    const m = manifestFor(source, '1.2.3', 'chromium');
    expect(m.background).toEqual({ service_worker: 'background.js', type: 'module' });
    expect(checkPackage('chromium', files, m)).toEqual([]);
  });

  it('gives Firefox its id and background scripts, and no Chromium key', () => {
    const m = /** @type {Record<string, any>} */ (manifestFor(source, '1.2.3', 'firefox'));
    expect(m.key).toBeUndefined();
    expect(m.browser_specific_settings.gecko.id).toBe(FIREFOX_ID);
    expect(m.background).toEqual({ scripts: ['background.js'], type: 'module' });
    expect(checkPackage('firefox', files, m)).toEqual([]);
  });
});

describe('the package check', () => {
  const good = manifestFor(source, '1.2.3', 'chromium');

  it('finds files that should not be there, and missing ones', () => {
    expect(checkPackage('chromium', [...files, '.DS_Store'], good)).toEqual(['unexpected files: .DS_Store']);
    expect(checkPackage('chromium', files.filter((f) => f !== 'popup.js'), good)).toEqual(['missing files: popup.js']);
  });

  it('refuses any permission beyond the four, and host access of any kind', () => {
    expect(checkPackage('chromium', files, { ...good, permissions: [...source.permissions, 'cookies'] })).toHaveLength(1);
    expect(checkPackage('chromium', files, { ...good, host_permissions: ['<all_urls>'] })).toEqual([
      'the manifest has host_permissions: the extension must not',
    ]);
    expect(checkPackage('chromium', files, { ...good, content_scripts: [] })).toHaveLength(1);
    expect(checkPackage('chromium', files, { ...good, externally_connectable: { matches: ['*://*/*'] } })).toHaveLength(1);
  });

  it('finds a key that makes another id, and a manifest of the wrong version', () => {
    const other = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAx';
    expect(checkPackage('chromium', files, { ...good, key: other })[0]).toMatch(/^the key makes id [a-p]{32}, not /);
    expect(checkPackage('chromium', files, { ...good, manifest_version: 2 })).toEqual(['manifest_version is not 3']);
    const firefox = /** @type {Record<string, any>} */ (manifestFor(source, '1.2.3', 'firefox'));
    expect(checkPackage('firefox', files, { ...firefox, key: source.key })).toEqual(['a Chromium key in the Firefox manifest']);
  });
});

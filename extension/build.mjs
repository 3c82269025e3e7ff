// Builds the two store packages from the one source in src/:
//
//   dist/chromium/ and dist/gloss-chromium-<version>.zip   Chrome, Edge, Brave, Vivaldi, Chromium
//   dist/firefox/  and dist/gloss-firefox-<version>.zip    Firefox
//
// The browsers differ only in their manifests: Chromium runs the background as
// a service worker and takes the public `key` that fixes the extension's id
// (the id Gloss's native host manifests allow); Firefox runs it as an event
// page (`background.scripts`) and is named by `browser_specific_settings`.
// Each package is then read back and checked: a valid Manifest V3, exactly the
// expected files, only the four permissions, the right id.
//
//   node build.mjs           # build and check (npm run build)

import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, 'src');
const dist = join(here, 'dist');

/** The Chromium id that Gloss's host manifests allow (`allowed_origins`); it follows from `key`. */
export const CHROMIUM_ID = 'fbeanmkoadplglpjkmmhbbncacmokpgj';
/** The Firefox id that Gloss's host manifest allows (`allowed_extensions`). */
export const FIREFOX_ID = 'gloss@glossreader.org';
/**
 * Firefox 140 (ESR) is the first that reads `data_collection_permissions`,
 * which Mozilla's add-on site asks of new extensions (142 on Android).
 */
const FIREFOX_MIN_VERSION = '140.0';
const FIREFOX_ANDROID_MIN_VERSION = '142.0';
/** The extension asks for these and nothing else: no host permissions. */
const PERMISSIONS = ['activeTab', 'contextMenus', 'nativeMessaging', 'scripting'];
/** Every file a package holds, besides manifest.json. */
export const FILES = [
  'background.js',
  'capture.js',
  'messages.js',
  'popup.css',
  'popup.html',
  'popup.js',
  'icons/32.png',
  'icons/64.png',
  'icons/128.png',
];
/** Zip entries get this date, so the same source makes the same zip. */
const ZIP_DATE = new Date(Date.UTC(2026, 0, 1));

/**
 * The Chromium extension id of a manifest `key`: the first 32 hex digits of
 * the SHA-256 of the key's DER bytes, each digit 0-f written as a-p.
 *
 * @param {string} key base64 SubjectPublicKeyInfo
 */
export function chromiumId(key) {
  const hex = createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((d) => String.fromCharCode('a'.charCodeAt(0) + parseInt(d, 16))).join('');
}

/**
 * Each browser's manifest from the one source.
 *
 * @param {Record<string, unknown>} source src/manifest.json
 * @param {string} version package.json's version
 * @param {'chromium' | 'firefox'} browser
 */
export function manifestFor(source, version, browser) {
  const { key, ...common } = source;
  if (browser === 'chromium') {
    return { ...common, version, key, background: { service_worker: 'background.js', type: 'module' } };
  }
  return {
    ...common,
    version,
    background: { scripts: ['background.js'], type: 'module' },
    browser_specific_settings: {
      gecko: {
        id: FIREFOX_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        // Nothing leaves the machine: the page goes to Gloss on the same computer.
        data_collection_permissions: { required: ['none'] },
      },
      gecko_android: { strict_min_version: FIREFOX_ANDROID_MIN_VERSION },
    },
  };
}

/**
 * Checks a package's files and manifest; returns the problems found (none
 * when it is right).
 *
 * @param {'chromium' | 'firefox'} browser
 * @param {string[]} names the zip's file names
 * @param {Record<string, any>} manifest
 */
export function checkPackage(browser, names, manifest) {
  const problems = [];
  const expected = ['manifest.json', ...FILES].sort();
  const got = [...names].sort();
  const extra = got.filter((n) => !expected.includes(n));
  const missing = expected.filter((n) => !got.includes(n));
  if (extra.length) problems.push(`unexpected files: ${extra.join(', ')}`);
  if (missing.length) problems.push(`missing files: ${missing.join(', ')}`);
  if (manifest.manifest_version !== 3) problems.push('manifest_version is not 3');
  if (typeof manifest.name !== 'string' || !manifest.name) problems.push('no name');
  if (!/^\d+(\.\d+){0,3}$/.test(String(manifest.version))) problems.push(`bad version ${manifest.version}`);
  const permissions = [...(manifest.permissions ?? [])].sort();
  if (JSON.stringify(permissions) !== JSON.stringify(PERMISSIONS)) {
    problems.push(`permissions are ${permissions.join(', ')}, not ${PERMISSIONS.join(', ')}`);
  }
  for (const field of ['host_permissions', 'optional_permissions', 'optional_host_permissions', 'content_scripts', 'externally_connectable', 'web_accessible_resources']) {
    if (field in manifest) problems.push(`the manifest has ${field}: the extension must not`);
  }
  const referenced = [
    ...Object.values(manifest.icons ?? {}),
    ...Object.values(manifest.action?.default_icon ?? {}),
    ...(manifest.background?.scripts ?? []),
    ...(manifest.background?.service_worker ? [manifest.background.service_worker] : []),
  ];
  for (const file of referenced) {
    if (!names.includes(file)) problems.push(`the manifest names ${file}, which is not in the package`);
  }
  if (manifest.commands?.['save-page']?.suggested_key?.default !== 'Alt+Shift+S') {
    problems.push('the save command is not Alt+Shift+S');
  }
  if (browser === 'chromium') {
    if (typeof manifest.key !== 'string') problems.push('no key: the Chromium id would not be stable');
    else if (chromiumId(manifest.key) !== CHROMIUM_ID) {
      problems.push(`the key makes id ${chromiumId(manifest.key)}, not ${CHROMIUM_ID}`);
    }
    if (!manifest.background?.service_worker) problems.push('no background service worker');
    if ('browser_specific_settings' in manifest) problems.push('Firefox settings in the Chromium manifest');
  } else {
    if ('key' in manifest) problems.push('a Chromium key in the Firefox manifest');
    if (manifest.browser_specific_settings?.gecko?.id !== FIREFOX_ID) problems.push(`gecko id is not ${FIREFOX_ID}`);
    if (!manifest.background?.scripts?.length) problems.push('no background scripts');
  }
  return problems;
}

/** @param {'chromium' | 'firefox'} browser @param {Record<string, unknown>} source @param {string} version */
async function build(browser, source, version) {
  const folder = join(dist, browser);
  await rm(folder, { recursive: true, force: true });
  await mkdir(join(folder, 'icons'), { recursive: true });
  const zip = new JSZip();
  const manifest = `${JSON.stringify(manifestFor(source, version, browser), null, 2)}\n`;
  await writeFile(join(folder, 'manifest.json'), manifest);
  zip.file('manifest.json', manifest, { date: ZIP_DATE });
  for (const file of FILES) {
    const bytes = await readFile(join(src, file));
    await writeFile(join(folder, file), bytes);
    zip.file(file, bytes, { date: ZIP_DATE });
  }
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' });
  const path = join(dist, `gloss-${browser}-${version}.zip`);
  await writeFile(path, bytes);
  return path;
}

/** Reads a built zip back and checks it. @param {'chromium' | 'firefox'} browser @param {string} path */
async function check(browser, path) {
  const zip = await JSZip.loadAsync(await readFile(path));
  const names = Object.values(zip.files)
    .filter((f) => !f.dir)
    .map((f) => f.name);
  const text = await zip.file('manifest.json')?.async('string');
  /** @type {Record<string, any>} */
  let manifest;
  try {
    manifest = JSON.parse(text ?? '');
  } catch (error) {
    return [`manifest.json is not JSON: ${error instanceof Error ? error.message : String(error)}`];
  }
  return checkPackage(browser, names, manifest);
}

async function main() {
  const pkg = JSON.parse(await readFile(join(here, 'package.json'), 'utf8'));
  const source = JSON.parse(await readFile(join(src, 'manifest.json'), 'utf8'));
  const sourceFiles = (await readdir(src, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(src.length + 1))
    .filter((n) => n !== 'manifest.json');
  const unshipped = sourceFiles.filter((n) => !FILES.includes(n));
  if (unshipped.length) {
    throw new Error(`src/ has files no package lists (add them to FILES in build.mjs or remove them): ${unshipped.join(', ')}`);
  }
  await mkdir(dist, { recursive: true });
  let failed = false;
  for (const browser of /** @type {const} */ (['chromium', 'firefox'])) {
    const path = await build(browser, source, pkg.version);
    const problems = await check(browser, path);
    if (problems.length) {
      failed = true;
      console.error(`${path}:\n  ${problems.join('\n  ')}`);
    } else {
      console.log(`${path}: checked (${browser === 'chromium' ? CHROMIUM_ID : FIREFOX_ID})`);
    }
  }
  if (failed) process.exit(1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main();
}

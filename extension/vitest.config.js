// Unit tests of the extension's own logic (test/*.test.js): messages, the
// build's checks, and what capture.js takes from a document (in happy-dom,
// at a web address, as a page would be).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.js'],
    environmentOptions: { happyDOM: { url: 'https://news.example/world/2026/story.html' } },
  },
});

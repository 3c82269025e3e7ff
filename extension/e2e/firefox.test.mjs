// The extension in Firefox: Debian's Firefox ESR, headless, with the
// extension as a temporary add-on and Gloss's native host (the built
// `gloss`) found through a HOME of the test's own. The first scenario of the
// Chromium suite, the same way: a page written by its script, saved by the
// browser's click on the extension's button.

import { launchFirefox } from './harness.mjs';
import { spaSite } from './pages.mjs';
import { browserTest, scriptWrittenPage } from './scenarios.mjs';

browserTest(launchFirefox, 'Firefox: a page written by its script after load is saved with the words the reader saw', {}, spaSite, scriptWrittenPage);

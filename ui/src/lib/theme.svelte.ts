// Applies the chosen theme to <html data-theme>, following the system's
// light/dark setting live when the choice is "system".

import { resolveTheme, type ResolvedTheme, type ThemeChoice } from './typography';

const query = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

class SystemScheme {
  dark = $state(query?.matches ?? false);

  constructor() {
    query?.addEventListener('change', (e) => {
      this.dark = e.matches;
    });
  }
}

export const systemScheme = new SystemScheme();

export function currentTheme(choice: ThemeChoice): ResolvedTheme {
  return resolveTheme(choice, systemScheme.dark);
}

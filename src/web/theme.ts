/**
 * @module
 * Light and dark themes. The page follows the system setting (prefers-color-scheme) until the theme button
 * picks one; the choice is remembered in this browser only.
 */
import { byId } from './dom.js';

const MODES = ['system', 'light', 'dark'] as const;
type Mode = (typeof MODES)[number];
const KEY = 'nncalc-theme';

function stored(): Mode {
  try {
    const v = localStorage.getItem(KEY);
    return (MODES as readonly string[]).includes(v ?? '') ? (v as Mode) : 'system';
  } catch {
    return 'system'; // storage blocked: follow the system
  }
}

function apply(mode: Mode, button: HTMLElement): void {
  if (mode === 'system') delete document.documentElement.dataset['theme'];
  else document.documentElement.dataset['theme'] = mode;
  button.textContent = `Theme: ${mode}`;
  button.title = mode === 'system' ? 'Following the system setting; click for light' : `Click for ${mode === 'light' ? 'dark' : 'the system setting'}`;
}

export function setupTheme(): void {
  const button = byId('theme');
  let mode = stored();
  apply(mode, button);
  button.addEventListener('click', () => {
    mode = MODES[(MODES.indexOf(mode) + 1) % MODES.length]!;
    apply(mode, button);
    try {
      localStorage.setItem(KEY, mode);
    } catch {
      // not remembered; the page still switches
    }
  });
}

// Colour theme: the system's (prefers-color-scheme) unless the user chose light or dark, kept in localStorage.
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];
const KEY = "cryptex.theme";

export function savedTheme(): Theme {
  try {
    const t = localStorage.getItem(KEY);
    return (THEMES as readonly string[]).includes(t ?? "") ? (t as Theme) : "system";
  } catch {
    return "system";
  }
}

/** Sets the page's theme (the stylesheet reads data-theme) and remembers the choice. */
export function applyTheme(theme: Theme, remember = true): void {
  if (theme === "system") document.documentElement.removeAttribute("data-theme");
  else document.documentElement.dataset.theme = theme;
  if (!remember) return;
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // storage refused (private window): the choice lasts for this page only
  }
}

// Settings → Appearance: the colour theme (the system's, light or dark), applied at once and remembered.
import { useState } from "preact/hooks";
import { applyTheme, savedTheme, THEMES, type Theme } from "../ui/theme.ts";

export function Appearance() {
  const [theme, setTheme] = useState<Theme>(savedTheme);
  const label: Record<Theme, string> = { system: "Same as the system", light: "Light", dark: "Dark" };
  return (
    <section aria-labelledby="s-look">
      <h3 id="s-look">Appearance</h3>
      <label for="s-theme">Colour theme</label>
      <select
        id="s-theme"
        value={theme}
        onChange={(e) => {
          const t = e.currentTarget.value as Theme;
          applyTheme(t);
          setTheme(t);
        }}
      >
        {THEMES.map((t) => (
          <option key={t} value={t}>
            {label[t]}
          </option>
        ))}
      </select>
    </section>
  );
}

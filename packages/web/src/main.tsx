// Entry point: mounts the app and registers the offline worker that keeps the app shell for offline unlock.
import { render } from "preact";
import { App } from "./app.tsx";
import "./styles.css";
import { applyTheme, savedTheme } from "./ui/theme.ts";

applyTheme(savedTheme(), false);

render(<App />, document.getElementById("app")!);

if ("serviceWorker" in navigator && location.protocol === "https:") {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
    // Offline start-up is a convenience; the app works online without it.
  });
}

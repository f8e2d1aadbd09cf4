// The vault's current route, kept in the URL hash: go() adds or replaces a history entry, Back and Forward
// (popstate) show theirs, and a dirty form is asked about before any of them leaves it (and before the tab
// closes). `nav` counts navigations: views keyed by it start afresh, so nothing revealed outlives one.
import { useEffect, useRef, useState } from "preact/hooks";
import { parseRoute, type Route, routeHash } from "./route.ts";

export const DISCARD = "Discard your unsaved changes?";

export interface HashRoute {
  readonly route: Route;
  readonly nav: number;
  readonly dirty: boolean;
  setDirty(dirty: boolean): void;
  /** false when the user chose to stay on a dirty form */
  mayLeave(): boolean;
  go(r: Route, how?: "push" | "replace"): void;
  /** the route as of now (for handlers registered once) */
  current(): Route;
}

export function useHashRoute(): HashRoute {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const [nav, setNav] = useState(0);
  const [dirty, setDirtyState] = useState(false);
  const latest = useRef({ route, dirty });
  latest.current = { route, dirty };

  const setDirty = (d: boolean) => {
    latest.current.dirty = d;
    setDirtyState(d);
  };
  const mayLeave = () => !latest.current.dirty || window.confirm(DISCARD);
  /** Shows a route that is already in the address bar. */
  const show = (r: Route) => {
    setDirty(false);
    latest.current.route = r;
    setRoute(r);
    setNav((n) => n + 1);
  };
  const go = (r: Route, how: "push" | "replace" = "push") => {
    if (!mayLeave()) return;
    if (how === "push") history.pushState(null, "", routeHash(r));
    else history.replaceState(null, "", routeHash(r));
    show(r);
  };

  useEffect(() => {
    // this route's address replaces the lock screen's (so Back never returns to a lock screen)
    history.replaceState(null, "", routeHash(latest.current.route));
    const onPop = () => {
      if (!mayLeave()) {
        history.pushState(null, "", routeHash(latest.current.route)); // stay on the form
        return;
      }
      show(parseRoute(location.hash));
    };
    const onUnload = (e: BeforeUnloadEvent) => {
      if (latest.current.dirty) e.preventDefault();
    };
    addEventListener("popstate", onPop);
    addEventListener("beforeunload", onUnload);
    return () => {
      removeEventListener("popstate", onPop);
      removeEventListener("beforeunload", onUnload);
    };
  }, []);

  return { route, nav, dirty, setDirty, mayLeave, go, current: () => latest.current.route };
}

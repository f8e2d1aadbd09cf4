// A component loaded on first use, so rarely used screens (pairing) stay out of the entry script.
import type { ComponentType, FunctionComponent } from "preact";
import { useEffect, useState } from "preact/hooks";

export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>): FunctionComponent<P> {
  let loaded: ComponentType<P> | undefined;
  return function Lazy(props: P) {
    const [C, setC] = useState<ComponentType<P> | undefined>(() => loaded);
    useEffect(() => {
      if (C) return;
      void load().then((c) => {
        loaded = c;
        setC(() => c);
      });
    }, []);
    return C ? (
      <C {...props} />
    ) : (
      <p class="muted" role="status">
        Loading…
      </p>
    );
  };
}

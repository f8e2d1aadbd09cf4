// A virtualised list: only the rows in view (plus a margin) are in the DOM, so 100,000 items scroll smoothly.
// `items` may have holes (a first screen shown before the whole list is sorted): those rows stay empty.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

export function VirtualList<T>({
  items,
  rowHeight,
  label,
  renderRow,
}: {
  items: readonly (T | undefined)[];
  rowHeight: number;
  label: string;
  renderRow: (item: T, index: number) => ComponentChildren;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  useEffect(() => {
    const el = box.current!;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    // A shorter result (new search) must not leave the view scrolled past its end.
    if (box.current && scrollTop > items.length * rowHeight) box.current.scrollTop = 0;
  }, [items]);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - 5);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + 5);
  const rows: ComponentChildren[] = [];
  for (let i = first; i < last; i++) {
    const item = items[i];
    if (item === undefined) continue;
    rows.push(
      <li key={i} class="vrow" style={{ transform: `translateY(${i * rowHeight}px)`, height: `${rowHeight}px` }}>
        {renderRow(item, i)}
      </li>,
    );
  }
  return (
    <div ref={box} class="vlist" onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      <ul aria-label={label} class="vlist-inner" style={{ height: `${items.length * rowHeight}px` }}>
        {rows}
      </ul>
    </div>
  );
}

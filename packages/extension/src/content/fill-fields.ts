// Puts values into page fields the way typing would (native setter, then input and change events); never submits.

function setValue(el: HTMLInputElement, value: string): void {
  // frameworks (React, Vue) watch the prototype's setter, so set through it rather than the instance property
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")?.set;
  el.focus();
  if (setter) setter.call(el, value);
  else el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
  el.dispatchEvent(new Event("change", { bubbles: true }));
}

/** Fills the given fields; empty values leave a field as it is. Returns how many fields were filled. */
export function fillFields(pairs: readonly (readonly [HTMLInputElement | undefined, string])[]): number {
  let n = 0;
  for (const [el, value] of pairs) {
    if (!el || !value) continue;
    setValue(el, value);
    n++;
  }
  return n;
}

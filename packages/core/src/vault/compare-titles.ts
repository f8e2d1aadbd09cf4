// The one order of titles and tags in every app: case-insensitive, numbers by value ("Item 9" before "Item 10").
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** Compares two strings the way a person expects a list to be sorted; ties broken by code points so the order is total. */
export function compareTitles(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Sorts things with a title in place, by `compareTitles`. */
export function sortByTitle<T extends { readonly title: string }>(list: T[]): T[] {
  return list.sort((a, b) => compareTitles(a.title, b.title));
}

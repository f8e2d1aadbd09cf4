// The vault's screens as URL hashes (#/item/<id>, #/new, …): every screen and the selected item have an
// address, and the browser's Back and Forward move between them inside the app.
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type Route =
  | { readonly screen: "list" }
  | { readonly screen: "item"; readonly id: string }
  | { readonly screen: "edit"; readonly id: string }
  | { readonly screen: "new" }
  | { readonly screen: "settings" }
  | { readonly screen: "security" }
  | { readonly screen: "generator" };

/** Any hash gives a route; what is not one of ours is the list. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/");
  const [head, id, tail] = parts;
  if (head === "item" && id && ID.test(id)) {
    if (parts.length === 2) return { screen: "item", id };
    if (parts.length === 3 && tail === "edit") return { screen: "edit", id };
  }
  if (parts.length === 1 && (head === "new" || head === "settings" || head === "security" || head === "generator")) return { screen: head };
  return { screen: "list" };
}

export function routeHash(r: Route): string {
  switch (r.screen) {
    case "list":
      return "#/";
    case "item":
      return `#/item/${r.id}`;
    case "edit":
      return `#/item/${r.id}/edit`;
    default:
      return `#/${r.screen}`;
  }
}

/** The screens outside the unlocked vault have their own addresses too. */
export const OUTSIDE = {
  signup: "#/signup",
  signin: "#/signin",
  forgot: "#/forgot",
  locked: "#/unlock",
  "new-key": "#/account-key",
} as const;

// Item templates after mSecure's. A template names the standard fields of a type;
// items may add custom fields of any kind.

export const FIELD_KINDS = ["text", "hidden", "url", "email", "phone", "date", "totp", "note", "number"] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

export interface TemplateField {
  readonly name: string;
  readonly label: string;
  readonly kind: FieldKind;
}

export interface Template {
  readonly type: string;
  readonly label: string;
  readonly fields: readonly TemplateField[];
}

const f = (name: string, label: string, kind: FieldKind = "text"): TemplateField => ({ name, label, kind });

export const TEMPLATES = [
  {
    type: "login",
    label: "Login",
    fields: [
      f("username", "Username"),
      f("password", "Password", "hidden"),
      f("url", "Website", "url"),
      f("totp", "One-time password", "totp"),
    ],
  },
  {
    type: "credit-card",
    label: "Credit Card",
    fields: [
      f("cardholder", "Name on card"),
      f("number", "Card number", "hidden"),
      f("expiry", "Expiry date", "date"),
      f("cvv", "Security code", "hidden"),
      f("pin", "PIN", "hidden"),
      f("card-type", "Card type"),
      f("bank", "Issuing bank"),
      f("phone", "Bank phone", "phone"),
    ],
  },
  {
    type: "bank-account",
    label: "Bank Account",
    fields: [
      f("bank", "Bank name"),
      f("account-holder", "Account holder"),
      f("account-number", "Account number", "hidden"),
      f("routing-number", "Routing number"),
      f("iban", "IBAN", "hidden"),
      f("swift", "SWIFT/BIC"),
      f("pin", "PIN", "hidden"),
      f("phone", "Phone", "phone"),
    ],
  },
  {
    type: "email-account",
    label: "Email Account",
    fields: [
      f("email", "Email address", "email"),
      f("username", "Username"),
      f("password", "Password", "hidden"),
      f("imap-server", "Incoming server"),
      f("smtp-server", "Outgoing server"),
      f("url", "Webmail", "url"),
    ],
  },
  {
    type: "identity",
    label: "Identity",
    fields: [
      f("first-name", "First name"),
      f("last-name", "Last name"),
      f("birth-date", "Date of birth", "date"),
      f("email", "Email", "email"),
      f("phone", "Phone", "phone"),
      f("address", "Address", "note"),
      f("company", "Company"),
      f("ssn", "National ID number", "hidden"),
    ],
  },
  { type: "secure-note", label: "Secure Note", fields: [] },
  { type: "password", label: "Password", fields: [f("password", "Password", "hidden"), f("url", "Where it is used", "url")] },
  {
    type: "software-license",
    label: "Software License",
    fields: [
      f("product", "Product"),
      f("version", "Version"),
      f("license-key", "License key", "hidden"),
      f("licensed-to", "Licensed to"),
      f("email", "Registered email", "email"),
      f("purchase-date", "Purchase date", "date"),
      f("url", "Website", "url"),
    ],
  },
  {
    type: "wifi",
    label: "Wi-Fi",
    fields: [f("ssid", "Network name"), f("password", "Password", "hidden"), f("security", "Security type")],
  },
  {
    type: "passport",
    label: "Passport",
    fields: [
      f("full-name", "Full name"),
      f("number", "Passport number", "hidden"),
      f("nationality", "Nationality"),
      f("issue-date", "Issue date", "date"),
      f("expiry", "Expiry date", "date"),
      f("issuing-authority", "Issuing authority"),
    ],
  },
  {
    type: "drivers-license",
    label: "Driver's License",
    fields: [
      f("full-name", "Full name"),
      f("number", "License number", "hidden"),
      f("class", "Class"),
      f("state", "State/region"),
      f("expiry", "Expiry date", "date"),
    ],
  },
  {
    type: "membership",
    label: "Membership",
    fields: [
      f("organization", "Organization"),
      f("member-name", "Member name"),
      f("member-id", "Member ID"),
      f("password", "Password", "hidden"),
      f("expiry", "Expiry date", "date"),
      f("phone", "Phone", "phone"),
      f("url", "Website", "url"),
    ],
  },
  {
    type: "insurance",
    label: "Insurance",
    fields: [
      f("company", "Company"),
      f("policy-number", "Policy number"),
      f("policy-holder", "Policy holder"),
      f("group-number", "Group number"),
      f("expiry", "Expiry date", "date"),
      f("phone", "Phone", "phone"),
      f("url", "Website", "url"),
    ],
  },
  {
    type: "frequent-flyer",
    label: "Frequent Flyer",
    fields: [
      f("airline", "Airline"),
      f("number", "Member number"),
      f("member-name", "Member name"),
      f("password", "Password", "hidden"),
      f("status", "Status"),
      f("url", "Website", "url"),
    ],
  },
] as const satisfies readonly Template[];

export type ItemType = (typeof TEMPLATES)[number]["type"];
export const ITEM_TYPES = TEMPLATES.map((t) => t.type) as readonly ItemType[];

const byType = new Map<string, Template>(TEMPLATES.map((t) => [t.type, t]));

export function template(type: ItemType): Template {
  return byType.get(type)!;
}

/** Case-insensitive, punctuation-insensitive type names: "Credit Card", "credit_card", "creditcard". */
export function resolveItemType(name: string): ItemType | undefined {
  const key = name.toLowerCase().replace(/[^a-z]/g, "");
  for (const t of TEMPLATES) {
    if (t.type.replace(/-/g, "") === key || t.label.toLowerCase().replace(/[^a-z]/g, "") === key) return t.type;
  }
  return undefined;
}

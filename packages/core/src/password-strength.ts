// Public entry for the password floor and strength meter: its own path (not the index) because it loads the
// zxcvbn dictionaries (about 1.7 MB), which the unlock path of a CLI or page must not pay for.
export * from "./keys/password-strength.ts";

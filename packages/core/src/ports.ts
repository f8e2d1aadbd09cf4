// Ports an app may give core besides those it passes to a session: cheap to import (no crypto is loaded here).
export { type Argon2idBackend, type Argon2Params, setArgon2idBackend } from "./crypto/argon2.ts";

// Live password strength (zxcvbn, loaded on demand: its dictionaries are only needed where a password is chosen).
import { useEffect, useState } from "preact/hooks";

type Check = typeof import("@cryptex/core/keys/password-strength.ts").checkPassword;
let loading: Promise<Check> | undefined;
const load = () => {
  loading ??= import("@cryptex/core/keys/password-strength.ts").then((m) => m.checkPassword);
  return loading;
};

const LABELS = ["Very weak", "Weak", "Fair", "Strong", "Very strong"];

export interface Strength {
  readonly acceptable: boolean;
  readonly score: number;
}

export function StrengthMeter({ password, email, onChange }: { password: string; email: string; onChange: (s: Strength) => void }) {
  const [result, setResult] = useState<{ score: number; acceptable: boolean; hint: string } | undefined>();
  useEffect(() => {
    let live = true;
    void load().then((check) => {
      if (!live) return;
      const r = check(password, email ? [email, email.split("@")[0] ?? ""] : []);
      const hint = password ? r.warning || r.suggestions[0] || (r.acceptable ? `Estimated cracking time: ${r.crackTime}` : "") : "";
      setResult({ score: password ? r.score : 0, acceptable: r.acceptable, hint });
      onChange({ acceptable: r.acceptable, score: r.score });
    });
    return () => {
      live = false;
    };
  }, [password, email]);
  const score = result?.score ?? 0;
  return (
    <div class="strength" aria-live="polite">
      <meter
        class={`meter s${score}`}
        min={0}
        max={4}
        low={2}
        high={3}
        optimum={4}
        value={password ? score + 1 : 0}
        aria-label="Password strength"
      />
      <span class="hint">
        {password
          ? `${LABELS[score]}. ${result?.hint ?? ""}`
          : "At least 12 characters and hard to guess, or a generated passphrase of 5+ words."}
      </span>
    </div>
  );
}

// Live password strength (zxcvbn, loaded on demand: its dictionaries are only needed where a password is chosen).
import { useEffect, useState } from "preact/hooks";
import { guessSecondsInWorker } from "../account/account-client.ts";

type Strength$ = typeof import("@cryptex/core/password-strength.ts");
let loading: Promise<Strength$> | undefined;
const load = () => {
  loading ??= import("@cryptex/core/password-strength.ts");
  return loading;
};

// score 3 (about 10^8 guesses) is below the floor, so it is not called strong
const LABELS = ["Very weak", "Weak", "Weak", "Not strong enough", "Strong"];

const userInputs = (email: string) => (email ? [email, email.split("@")[0] ?? ""] : []);

/**
 * Whether `password` meets the floor, judged when a form is sent: the meter's last result may be of an earlier
 * value, or missing while its dictionaries load (a quick press then refused a strong password as weak).
 */
export async function acceptablePassword(password: string, email: string): Promise<boolean> {
  return (await load()).checkPassword(password, userInputs(email)).acceptable;
}

export function StrengthMeter({ password, email }: { password: string; email: string }) {
  const [result, setResult] = useState<{ score: number; acceptable: boolean; hint: string } | undefined>();
  useEffect(() => {
    let live = true;
    void load().then(async (m) => {
      if (!live) return;
      const r = m.checkPassword(password, userInputs(email));
      let hint = password && !r.acceptable ? r.warning || r.suggestions[0] || "" : "";
      setResult({ score: password ? r.score : 0, acceptable: r.acceptable, hint });
      if (!password || !r.acceptable) return;
      // time to guess it from the QR code, at the Argon2id cost measured here (core computes, this shows)
      const t = m.guessTime(r.guesses, await guessSecondsInWorker().catch(() => Number.NaN));
      if (!live || Number.isNaN(t.onePc)) return;
      hint = `Time to guess it from the QR code: one PC ${m.formatDuration(t.onePc)}, a large GPU farm ${m.formatDuration(t.gpuFarm)}.`;
      setResult({ score: r.score, acceptable: r.acceptable, hint });
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

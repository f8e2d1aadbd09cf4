// Password generator: random characters or words, from core's uniform generator; the shown password follows
// every option change at once.
import { generatePassphrase, generatePassword } from "@cryptex/core/vault/generator.ts";
import { useEffect, useState } from "preact/hooks";
import { copySecret } from "./clipboard.ts";

/**
 * A number input that keeps what is typed (so "32" can be typed through "3") and reports only values within
 * bounds; on leaving the field an out-of-range value snaps to the nearest bound.
 */
function BoundedNumber({
  id,
  label,
  min,
  max,
  value,
  onValue,
}: {
  id: string;
  label: string;
  min: number;
  max: number;
  value: number;
  onValue: (n: number) => void;
}) {
  const [text, setText] = useState(String(value));
  const clamp = (n: number) => Math.min(max, Math.max(min, n));
  return (
    <>
      <label for={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        value={text}
        onInput={(e) => {
          const t = e.currentTarget.value;
          setText(t);
          const n = Number(t);
          if (t !== "" && Number.isInteger(n) && n >= min && n <= max) onValue(n);
        }}
        onBlur={() => {
          const n = Number(text);
          const fixed = text === "" || !Number.isFinite(n) ? value : clamp(Math.round(n));
          setText(String(fixed));
          onValue(fixed);
        }}
      />
    </>
  );
}

export function Generator({ onUse }: { onUse?: (password: string) => void }) {
  const [mode, setMode] = useState<"chars" | "words">("chars");
  const [length, setLength] = useState(20);
  const [words, setWords] = useState(6);
  const [symbols, setSymbols] = useState(true);
  const make = () => (mode === "chars" ? generatePassword({ length, symbols }) : generatePassphrase({ words }));
  const [value, setValue] = useState(make);
  useEffect(() => setValue(make()), [mode, length, words, symbols]);

  return (
    <section class="generator" aria-label="Password generator">
      <div class="row">
        <label class="check">
          <input type="radio" name="gen-mode" checked={mode === "chars"} onChange={() => setMode("chars")} /> Characters
        </label>
        <label class="check">
          <input type="radio" name="gen-mode" checked={mode === "words"} onChange={() => setMode("words")} /> Words
        </label>
      </div>
      {mode === "chars" ? (
        <div class="row">
          <BoundedNumber id="gen-length" label="Length" min={8} max={128} value={length} onValue={setLength} />
          <label class="check">
            <input type="checkbox" checked={symbols} onChange={(e) => setSymbols(e.currentTarget.checked)} /> Symbols
          </label>
        </div>
      ) : (
        <div class="row">
          <BoundedNumber id="gen-words" label="Words" min={3} max={20} value={words} onValue={setWords} />
        </div>
      )}
      <output class="mono break generated" aria-label="Generated password" aria-live="polite">
        {value}
      </output>
      <div class="row">
        <button type="button" onClick={() => setValue(make())}>
          Generate
        </button>
        <button type="button" onClick={() => void copySecret(value)}>
          Copy
        </button>
        {onUse && (
          <button type="button" class="primary" onClick={() => onUse(value)}>
            Use this password
          </button>
        )}
      </div>
    </section>
  );
}

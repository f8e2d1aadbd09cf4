// Password generator: random characters or words, from core's uniform generator.
import { generatePassphrase, generatePassword } from "@cryptex/core/vault/generator.ts";
import { useState } from "preact/hooks";
import { copySecret } from "./clipboard.ts";

export function Generator({ onUse }: { onUse?: (password: string) => void }) {
  const [mode, setMode] = useState<"chars" | "words">("chars");
  const [length, setLength] = useState(20);
  const [words, setWords] = useState(6);
  const [symbols, setSymbols] = useState(true);
  const make = () => (mode === "chars" ? generatePassword({ length, symbols }) : generatePassphrase({ words }));
  const [value, setValue] = useState(() => generatePassword({ length: 20 }));
  const regenerate = () => setValue(make());

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
          <label for="gen-length">Length</label>
          <input
            id="gen-length"
            type="number"
            min={8}
            max={128}
            value={length}
            onInput={(e) => setLength(Math.min(128, Math.max(8, Number(e.currentTarget.value) || 20)))}
          />
          <label class="check">
            <input type="checkbox" checked={symbols} onChange={(e) => setSymbols(e.currentTarget.checked)} /> Symbols
          </label>
        </div>
      ) : (
        <div class="row">
          <label for="gen-words">Words</label>
          <input
            id="gen-words"
            type="number"
            min={3}
            max={20}
            value={words}
            onInput={(e) => setWords(Math.min(20, Math.max(3, Number(e.currentTarget.value) || 6)))}
          />
        </div>
      )}
      <output class="mono break generated" aria-label="Generated password">
        {value}
      </output>
      <div class="row">
        <button type="button" onClick={regenerate}>
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

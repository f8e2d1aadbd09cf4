// Auto-lock after an idle time chosen in settings (kept in localStorage: a preference, not a secret).
import { useEffect } from "preact/hooks";

const KEY = "cryptex.autoLockMinutes";
export const AUTO_LOCK_CHOICES = [1, 5, 10, 30, 60, 0] as const;

export function autoLockMinutes(): number {
  const v = Number(localStorage.getItem(KEY) ?? "10");
  return (AUTO_LOCK_CHOICES as readonly number[]).includes(v) ? v : 10;
}

export function setAutoLockMinutes(m: number): void {
  localStorage.setItem(KEY, String(m));
}

/** Calls `lock` after `minutes` without keyboard, pointer or scroll activity (0 = never). */
export function useAutoLock(minutes: number, lock: () => void): void {
  useEffect(() => {
    if (minutes <= 0) return;
    let timer = setTimeout(lock, minutes * 60_000);
    const reset = () => {
      clearTimeout(timer);
      timer = setTimeout(lock, minutes * 60_000);
    };
    const events = ["keydown", "pointerdown", "pointermove", "wheel", "touchstart"] as const;
    for (const e of events) window.addEventListener(e, reset, { passive: true });
    return () => {
      clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, reset);
    };
  }, [minutes, lock]);
}

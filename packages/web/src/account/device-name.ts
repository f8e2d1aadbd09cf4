// A readable default name for this device in the server's device list, from the browser's description of
// itself; the user may change it at sign-in. iPhones and iPads say "like Mac OS X", and iPads in desktop mode
// say "Macintosh", so those are told apart first.
export function deviceName(ua = navigator.userAgent, touchPoints = navigator.maxTouchPoints ?? 0): string {
  const browser = /Firefox\/|FxiOS\//.test(ua)
    ? "Firefox"
    : /Edg(A|iOS)?\//.test(ua)
      ? "Edge"
      : /Chrome\/|CriOS\//.test(ua)
        ? "Chrome"
        : /Safari\//.test(ua)
          ? "Safari"
          : "Browser";
  const os = /iPhone/.test(ua)
    ? "iPhone"
    : /iPad/.test(ua) || (/Macintosh/.test(ua) && touchPoints > 1)
      ? "iPad"
      : /Android/.test(ua)
        ? "Android"
        : /Windows/.test(ua)
          ? "Windows"
          : /Mac OS X/.test(ua)
            ? "macOS"
            : /CrOS/.test(ua)
              ? "ChromeOS"
              : /Linux/.test(ua)
                ? "Linux"
                : "";
  return `${browser}${os ? ` on ${os}` : ""}`.slice(0, 100);
}

// The extension code runs against the chrome.* APIs (typed by @types/chrome).
/// <reference types="chrome" />

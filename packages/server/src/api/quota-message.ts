// The words of a 413 quota_exceeded answer: how full the account is, and what the user can do about it.

const size = (n: number): string =>
  n >= 1024 ** 3
    ? `${(n / 1024 ** 3).toFixed(1)} GiB`
    : n >= 1024 ** 2
      ? `${(n / 1024 ** 2).toFixed(1)} MiB`
      : `${Math.ceil(n / 1024)} KiB`;

export function quotaMessage(used: number, quota: number): string {
  return (
    `the account's storage quota of ${size(quota)} is full (${size(used)} in use): nothing of this request was stored. ` +
    "Delete items to make room, or ask the server's operator for a larger quota"
  );
}

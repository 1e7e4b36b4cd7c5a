// How numbers read on screen. The engine sends money and quantities as decimal strings (the
// JSON contract of `ladderwise estimate`); these only shape them for people.

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });
const small = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 6 });

/** `$1,234.57` for a decimal string; sub-cent amounts keep their digits (`$0.000425`). */
export function money(value: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "unpriced";
  const n = Number(value);
  if (!Number.isFinite(n)) return value;
  if (n !== 0 && Math.abs(n) < 0.01) return small.format(n);
  return usd.format(n);
}

/** A difference with its sign always shown: `+$12.30`, `−$4.00`, `$0.00`. */
export function signedMoney(value: string | number): string {
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n)) return String(value);
  const rounded = Math.round(n * 100) / 100;
  if (rounded === 0) return usd.format(0);
  return (rounded > 0 ? "+" : "\u2212") + usd.format(Math.abs(rounded));
}

/** A quantity with thousands separators and at most `dp` decimals. */
export function quantity(value: string | number | null | undefined, dp = 2): string {
  if (value === null || value === undefined || value === "") return "\u2014";
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n)) return String(value);
  return n.toLocaleString("en-US", { maximumFractionDigits: dp });
}

/** `95 %` for 0.95. */
export function percent(fraction: number, dp = 1): string {
  if (!Number.isFinite(fraction)) return "\u2014";
  return `${(fraction * 100).toLocaleString("en-US", { maximumFractionDigits: dp })} %`;
}

/** "just now", "5 min ago", "3 h ago", or the date, for a Unix time in seconds. */
export function ago(unixSeconds: number, nowMs: number): string {
  const seconds = Math.max(0, Math.round(nowMs / 1000 - unixSeconds));
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}

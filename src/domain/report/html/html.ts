/**
 * The few things every part of the report page shares: escaping (every symbol, reason and message
 * comes from outside — a broker, a config, an operator — and is text, never markup), money and
 * time as a person reads them, and the colours.
 */
import { formatMicros, toMicros } from '../../money';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for HTML element content and attribute values alike. */
export const esc = (text: string | number | null | undefined): string =>
  String(text ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

export const COLOURS = {
  win: '#1f9d55',
  loss: '#d64545',
  ink: '#1d2433',
  muted: '#6b7385',
  grid: '#e4e7ee',
  accent: '#3b5bdb',
  exposure: '#7c8cf8',
  drawdown: 'rgba(214, 69, 69, 0.18)',
} as const;

/** Thousands separators on the whole part of a decimal string. */
function group(decimal: string): string {
  const [whole = '0', frac] = decimal.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** "$1,234.56", "−$12.30" (a true minus sign); with `signed`, "+$5.00" for a gain. */
export function usd(amount: string | null | undefined, opts: { signed?: boolean } = {}): string {
  if (amount === null || amount === undefined) return '—';
  const micros = toMicros(amount);
  const body = `$${group(formatMicros(micros < 0n ? -micros : micros, 2))}`;
  if (micros < 0n && formatMicros(micros, 2) !== '0.00') return `−${body}`;
  return opts.signed && micros > 0n && formatMicros(micros, 2) !== '0.00' ? `+${body}` : body;
}

/** A price as recorded: cents at least, up to the four places of a sub-dollar tick. */
export function price(amount: string | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  const micros = toMicros(amount);
  return `$${group(formatMicros(micros, micros % 10_000n === 0n ? 2 : 4))}`;
}

/** The sign class of an amount: win, loss or flat. */
export function signClass(amount: string | null | undefined): 'win' | 'loss' | 'flat' {
  if (!amount) return 'flat';
  const micros = toMicros(amount);
  return micros > 0n ? 'win' : micros < 0n ? 'loss' : 'flat';
}

const NY_TIME = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** HH:MM on the exchange's clock. */
export const nyTime = (iso: string | null | undefined): string =>
  iso && Number.isFinite(Date.parse(iso)) ? NY_TIME.format(new Date(iso)) : '—';

export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  // A cycle takes seconds: one decimal keeps 0.4 s from reading as 0 s.
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export const percent = (ratio: number | null): string =>
  ratio === null ? '—' : `${(Math.round(ratio * 1000) / 10).toFixed(1)} %`;

/** A rounded coordinate: short attributes, and identical output run to run. */
export const px = (n: number): string => String(Math.round(n * 10) / 10);

/** An axis label: "$250", "−$1.2k", "$15k" (a pixel position's value, never an amount). */
export function axisUsd(v: number): string {
  const abs = Math.abs(v);
  const text =
    abs >= 10_000
      ? `${Math.round(abs / 1000)}k`
      : abs >= 1000
        ? `${(abs / 1000).toFixed(1)}k`
        : abs >= 10 || abs === 0
          ? `${Math.round(abs)}`
          : abs.toFixed(2);
  return `${v < 0 && text !== '0' ? '−' : ''}$${text}`;
}

import { formatMicros, type Micros } from '../money';

/** "$1,234.56", "-$12.00": the checklist speaks in dollars and cents. */
export function dollars(micros: Micros): string {
  const text = formatMicros(micros < 0n ? -micros : micros, 2);
  const [whole = '0', cents = '00'] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return `${micros < 0n && text !== '0.00' ? '-' : ''}$${grouped}.${cents}`;
}

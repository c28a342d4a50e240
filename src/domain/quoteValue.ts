/**
 * A bad value as an error message quotes it: JSON, whole when short, otherwise its start and its
 * size, so the message stays one short line whatever was typed or sent. Pure: the CLI's argument
 * checks and the workflow's payload checks share it.
 */
export function quoteValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  if (text.length <= 60) return text;
  const size = typeof value === 'string' ? value.length : text.length;
  return `${text.slice(0, 40)}… (${size} characters)`;
}

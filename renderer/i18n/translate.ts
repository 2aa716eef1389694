export type MessageParams = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{(\w+)\}/g;

/** Fills `{name}` placeholders; an unknown placeholder stays visible so it gets noticed. */
export function interpolate(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(PLACEHOLDER, (match, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : match,
  );
}

/** Placeholder names of a message, sorted, for comparing translations. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '').sort();
}

/**
 * Wraps text from the site or a device (names, serial numbers) in Unicode isolates, so a
 * Latin "SN-12 (A)" keeps its order inside an Arabic sentence, and vice versa.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

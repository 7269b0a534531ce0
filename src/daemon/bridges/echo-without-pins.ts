/**
 * A client's text quoted back in a bridge reply (an unsupported function name, route or param),
 * cut to `max` characters with every run of 4 or more digits masked: a PIN (4-16 digits,
 * docs/security-profile) never appears in an answer, even when a page puts one where a name goes.
 */
export function echoWithoutPins(text: string, max: number): string {
  return text.slice(0, max).replace(/[0-9]{4,}/g, (run) => '*'.repeat(run.length));
}

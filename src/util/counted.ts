/**
 * A count and its noun, singular for one: `counted(1, "event")` is "1 event", `counted(3, "op")`
 * "3 ops" (the nouns used take a plain "s").
 */
export function counted(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : `${noun}s`}`;
}

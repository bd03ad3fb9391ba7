/** The part of a tap test the helpers need: a way to clean up after it. */
export interface TestContext {
  after (cleanup: () => unknown): void
}

/** Polls `condition` every 10 ms until it holds; the test's own timeout bounds the wait. */
export async function waitFor (condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!await condition()) await new Promise((resolve) => setTimeout(resolve, 10))
}

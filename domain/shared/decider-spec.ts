/**
 * Given/when/then for decider tests: given these past events, when this command arrives, then
 * these events are decided (or this error is thrown).
 *
 *   spec.given([created]).when(rename).then([renamed]);
 *
 * Failures are plain Errors, so the domain stays free of test-runner and runtime imports.
 */
import { type Decider, fold } from "./decider.ts";

export function deciderSpec<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(history: Event[]) {
      return {
        when(command: Command) {
          const decide = () => decider.decide(command, fold(decider, history));
          return {
            then(expected: Event[]): void {
              const actual = decide();
              if (!sameValue(actual, expected)) {
                throw new Error(`decided ${show(actual)}\nexpected ${show(expected)}`);
              }
            },
            thenThrows(
              errorClass: new (...args: never[]) => Error,
              messageIncludes?: string,
            ): void {
              let decided: Event[];
              try {
                decided = decide();
              } catch (error) {
                if (!(error instanceof errorClass)) {
                  throw new Error(`expected ${errorClass.name}, got ${error}`);
                }
                if (messageIncludes && !error.message.includes(messageIncludes)) {
                  throw new Error(`"${error.message}" does not mention "${messageIncludes}"`);
                }
                return;
              }
              throw new Error(`expected ${errorClass.name}, decided ${show(decided)}`);
            },
          };
        },
      };
    },
  };
}

/** Structural equality of plain data (what events are): key order does not matter. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const keysB = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return keysA.length === keysB.length &&
    keysA.every((k) =>
      sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])
    );
}

function show(value: unknown): string {
  return JSON.stringify(value);
}

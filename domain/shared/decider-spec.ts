/**
 * Given/when/then for decider tests: given these past events, when this command arrives, then
 * these events are decided (or this error is thrown).
 *
 *   spec.given([created]).when(rename).then([renamed]);
 */
import assert from "node:assert/strict";
import { type Decider, fold } from "./decider.ts";

export function deciderSpec<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(history: Event[]) {
      return {
        when(command: Command) {
          const decide = () => decider.decide(command, fold(decider, history));
          return {
            then(expected: Event[]): void {
              assert.deepEqual(decide(), expected);
            },
            thenThrows(
              errorClass: new (...args: never[]) => Error,
              messageIncludes?: string,
            ): void {
              assert.throws(decide, (error: unknown) => {
                assert.ok(error instanceof errorClass, `expected ${errorClass.name}, got ${error}`);
                if (messageIncludes) {
                  assert.match(error.message, new RegExp(escape(messageIncludes)));
                }
                return true;
              });
            },
          };
        },
      };
    },
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The account aggregate: its decider, stored event types and stream category. */
import {
  type AccountCommand,
  accountDecider,
  type AccountState,
} from "../../domain/accounts/account.ts";
import { type AccountEvent, accountEventTypes } from "../../domain/accounts/events.ts";
import type { Aggregate } from "../handle-command.ts";

export const accounts: Aggregate<AccountCommand, AccountEvent, AccountState> = {
  category: "account",
  decider: accountDecider,
  eventTypes: accountEventTypes,
  // Every token refresh is an event: a device refreshing each 15 minutes adds about 100 a day.
  snapshots: { schema: 1, every: 100 },
};

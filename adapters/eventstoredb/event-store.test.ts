import { runEventStoreContract } from "../event-store/contract.ts";
import { integrationTest } from "../testing/integration.ts";
import { EventStoreDbEventStore } from "./event-store.ts";

integrationTest({
  name: "EventStoreDB event store meets the event store contract",
  requires: ["EVENTSTORE_URL"],
  optionalBecause: "EventStoreDB cannot be installed on CI machines; set EVENTSTORE_URL " +
    "(docker compose up eventstore) to run it",
  async fn({ EVENTSTORE_URL }, t) {
    const store = EventStoreDbEventStore.connect(EVENTSTORE_URL);
    try {
      await runEventStoreContract(t, store);
    } finally {
      await store.close();
    }
  },
});

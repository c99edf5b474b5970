/**
 * Tells a viewer's other devices what one device just did: after the telemetry log accepted
 * records (ingest, positions, CMCD), their playback states go to the viewer's sync channel.
 * Publishing never holds up or fails the write: the log is the truth, sync is a live hint.
 */
import type { JsonObject } from "../../domain/ports/event-store.ts";
import type { Logger } from "../../domain/ports/logger.ts";
import type { PubSub } from "../../domain/ports/pubsub.ts";
import { playbackStateMessages } from "../../domain/device-sync/playback-state.ts";

/** Called with the values of records the telemetry log has durably stored. */
export type OnAccepted = (records: readonly JsonObject[]) => void;

export function publishPlaybackStates(pubsub: PubSub, logger: Logger): OnAccepted {
  return (records) => {
    for (const { channel, message } of playbackStateMessages(records)) {
      pubsub.publish(channel, message).catch((error) =>
        logger.warn("device sync publish failed", { channel, error })
      );
    }
  };
}

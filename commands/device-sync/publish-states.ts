/**
 * Tells a viewer's other devices what one device just did: after the telemetry log accepted
 * records (ingest, positions, CMCD), their playback states go to the viewer's sync channel.
 * Publishing never holds up or fails the write: the log is the truth, sync is a live hint.
 */
import type { Logger } from "../../domain/ports/logger.ts";
import type { PubSub } from "../../domain/ports/pubsub.ts";
import { playbackStateMessages } from "../../domain/device-sync/playback-state.ts";
import type { OnAccepted } from "../telemetry/on-accepted.ts";

export function publishPlaybackStates(pubsub: PubSub, logger: Logger): OnAccepted {
  return (records) => {
    // Not awaited: the answer does not wait for the other devices.
    for (const { channel, message } of playbackStateMessages(records)) {
      pubsub.publish(channel, message).catch((error) =>
        logger.warn("device sync publish failed", { channel, error })
      );
    }
    return Promise.resolve();
  };
}

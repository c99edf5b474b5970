/**
 * The leases port: exclusive, self-expiring claims on named things, shared by every process that
 * uses the same store. At most one holder has a name at a time. A holder keeps its lease alive
 * until it releases it; if the holder dies, the lease expires on its own and the name is free again.
 */

export interface Lease {
  /** Gives the name up; releasing again, or after the lease was lost, does nothing. */
  release(): Promise<void>;
}

export interface Leases {
  /**
   * Takes `name` unless someone holds it: the lease, or undefined when it is taken. `onLost` is
   * called once if the lease lapses while held (the store was out of reach longer than the lease
   * lasts), so the holder can stop what the lease guarded.
   */
  take(name: string, onLost?: () => void): Promise<Lease | undefined>;
}

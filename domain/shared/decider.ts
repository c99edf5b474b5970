/**
 * A decider is the whole behaviour of one aggregate as three pure functions: the state before any
 * event, how an event changes the state, and which events a command produces in a state.
 */
export interface Decider<Command, Event, State> {
  initialState: () => State;
  evolve: (state: State, event: Event) => State;
  /** The events that record the command's effect; none when it changes nothing. Throws a DomainError to refuse. */
  decide: (command: Command, state: State) => Event[];
}

/** A domain event: what happened and its facts, without the store's envelope. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

export function fold<Command, Event, State>(
  decider: Decider<Command, Event, State>,
  events: Iterable<Event>,
): State {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
}

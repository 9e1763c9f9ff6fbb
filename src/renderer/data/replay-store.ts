import { createStore } from 'zustand/vanilla';
import type { ReplayCommand, ReplayStatus } from '../../shared/protocol';

/** Replay venues' positions (from the engine's `replay` control messages); empty when not replaying. */
export interface ReplayState {
  venues: ReplayStatus[];
  setVenues(venues: ReplayStatus[]): void;
}

export function createReplayStore() {
  return createStore<ReplayState>((set) => ({ venues: [], setVenues: (venues) => set({ venues }) }));
}
export type ReplayStore = ReturnType<typeof createReplayStore>;

export interface ReplayClient {
  readonly store: ReplayStore;
  /** pause / resume / seek / speed, for every replay venue at once unless one is named */
  send(command: ReplayCommand): void;
}

export function createReplayClient(send: (command: ReplayCommand) => void): ReplayClient {
  return { store: createReplayStore(), send };
}

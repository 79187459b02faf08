import type { ControlEvent, ControlEventSource } from './contract.ts';

export interface ControlEvents extends ControlEventSource {
  emit(event: ControlEvent): void;
  /** Whether anyone listens (work for an event nobody reads can be skipped). */
  hasSubscribers(): boolean;
}

/**
 * The push channel for live views. Every listener is called even if an earlier one throws;
 * listener failures are then re-thrown together to the emitter, never dropped.
 */
export function createControlEvents(): ControlEvents {
  const listeners = new Set<(event: ControlEvent) => void>();
  return {
    hasSubscribers: () => listeners.size > 0,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    emit(event) {
      const errors: unknown[] = [];
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          errors.push(error);
        }
      }
      if (errors.length === 1) throw errors[0];
      if (errors.length > 1) throw new AggregateError(errors, `${errors.length} control event listeners failed`);
    },
  };
}

import type { ChildSpec } from './types.js';

/** @internal A dynamic-API request, as sent to a supervisor by its client. */
export type SupervisorCall =
  | {
      readonly kind: 'start_child';
      readonly spec?: ChildSpec;
      readonly args?: readonly unknown[];
      readonly id?: undefined;
      readonly actorId?: undefined;
    }
  | {
      readonly kind: 'terminate_child';
      readonly id?: string;
      /** The actor id, for simple_one_for_one children (terminated by reference). */
      readonly actorId?: string;
      /** The actor was started by this supervisor (its parent), so if it is gone that is ok. */
      readonly ownChild?: boolean;
    }
  | { readonly kind: 'restart_child'; readonly id: string; readonly actorId?: undefined }
  | { readonly kind: 'delete_child'; readonly id: string; readonly actorId?: undefined };

/** Codes of the errors the distributed layer (BullMQ backend and workers) raises. */
export type DistributedErrorCode =
  /** Redis could not be reached within the backend's deadline. */
  | 'BACKEND_UNAVAILABLE'
  /** The job disappeared from Redis (a restart without persistence) more often than allowed. */
  | 'JOB_LOST'
  /** A job's data or result does not match the job contract. */
  | 'INVALID_JOB'
  /** The job failed on the worker outside the query (it stalled too often, the worker broke). */
  | 'JOB_FAILED';

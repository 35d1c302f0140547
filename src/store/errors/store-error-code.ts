/** Codes of the errors the store raises. */
export type StoreErrorCode =
  | 'STORE_UNAVAILABLE'
  | 'STORE_FAILED'
  | 'STORE_MISSING'
  | 'STORE_LEASE_LOST';

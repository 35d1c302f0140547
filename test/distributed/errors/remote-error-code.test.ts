import { describe, expectTypeOf, it } from 'vitest';
import type { RemoteErrorCode } from '../../../src/distributed/errors/remote-error-code.js';
import type { ErrorCode } from '../../../src/error-code.js';

describe('RemoteErrorCode', () => {
  it('is every ErrorCode (the distributed layer keeps its own copy of the union)', () => {
    // Checked by tsc (`npm run typecheck` runs over test/): a domain added to one list only fails.
    expectTypeOf<RemoteErrorCode>().toEqualTypeOf<ErrorCode>();
  });
});

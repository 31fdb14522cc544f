import { describe, expect, it } from 'vitest';
import { RecordBusyError, ReconcileRetryableError } from './reconcile.processor.ts';
import { reconcileBackoff } from './reconcile.worker.ts';

describe('reconcileBackoff', () => {
  it('retries a busy record (UNABLE_TO_LOCK_ROW) within about a second, spread by jitter', () => {
    const busy = new RecordBusyError('CB_ERR_CRM_UNAVAILABLE: unable to obtain exclusive access');
    const delays = [0, 0.5, 0.999].map((r) => reconcileBackoff(5, busy, 2000, () => r));
    expect(delays).toEqual([250, 750, 1249]);
  });

  it('doubles from 2 s for other failures, with half of it jitter', () => {
    const other = new ReconcileRetryableError('the ownership cache could not be written through');
    expect(reconcileBackoff(1, other, 2000, () => 0)).toBe(1000);
    expect(reconcileBackoff(1, other, 2000, () => 0.999)).toBe(1999);
    expect(reconcileBackoff(4, other, 2000, () => 1)).toBe(16_000);
  });
});

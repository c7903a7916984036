import { act, renderHook } from '@testing-library/react';
import { usePolling } from './usePolling';

describe('usePolling', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** Lets the promises of the loads settle. */
  const settle = () => act(async () => {});

  /** Time passes a second at a time, so each render arms the next timer. */
  async function pass(ms: number) {
    for (let done = 0; done < ms; done += 1000) {
      await act(async () => jest.advanceTimersByTime(1000));
    }
  }

  it('marks the value stale and asks again when a load hangs', async () => {
    const load = jest
      .fn<Promise<string>, []>()
      .mockResolvedValueOnce('first')
      .mockReturnValue(new Promise<string>(() => {}));
    const { result } = renderHook(() =>
      usePolling(load, [], { active: () => true, intervalMs: 2000 }),
    );
    await settle();
    expect(result.current.value).toBe('first');
    expect(result.current.stale).toBe(false);

    await pass(2000);
    expect(load).toHaveBeenCalledTimes(2);
    // While the second load hangs, no third one piles up...
    await pass(8000);
    expect(load).toHaveBeenCalledTimes(2);
    expect(result.current.stale).toBe(false);

    // ...until it is older than the stale limit (15 s): then it is replaced.
    await pass(8000);
    expect(result.current.stale).toBe(true);
    expect(result.current.value).toBe('first');
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('keeps asking after a failed load, and is fresh again when one answers', async () => {
    const load = jest
      .fn<Promise<string>, []>()
      .mockResolvedValueOnce('first')
      .mockRejectedValueOnce(new Error('connection refused'))
      .mockResolvedValue('again');
    const { result } = renderHook(() =>
      usePolling(load, [], { active: () => true, intervalMs: 2000 }),
    );
    await settle();

    await pass(2000);
    await settle();
    expect(result.current.error?.message).toBe('connection refused');
    expect(result.current.value).toBe('first');

    await pass(2000);
    await settle();
    expect(result.current.value).toBe('again');
    expect(result.current.error).toBeUndefined();
    expect(result.current.stale).toBe(false);
  });

  it('stops asking once the value is no longer active', async () => {
    const load = jest.fn<Promise<string>, []>().mockResolvedValue('done');
    renderHook(() =>
      usePolling(load, [], { active: value => value !== 'done' }),
    );
    await settle();

    await pass(20_000);
    expect(load).toHaveBeenCalledTimes(1);
  });
});

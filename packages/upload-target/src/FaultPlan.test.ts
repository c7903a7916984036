import { FaultPlan } from './FaultPlan';
import { seededRandom } from './random';
import { RowRanges } from './RowRanges';

describe('FaultPlan', () => {
  it('skips afterRequests, then returns the fault count times', () => {
    const plan = new FaultPlan();
    plan.add([{ mode: 'reset', afterRequests: 1, count: 2 }]);

    const picks = [1, 2, 3, 4].map(() => plan.next('j')?.mode);

    expect(picks).toEqual([undefined, 'reset', 'reset', undefined]);
  });

  it('returns a template without the queue fields', () => {
    const plan = new FaultPlan();
    plan.add([{ mode: 'status', status: 429, retryAfter: 2, jobId: 'j' }]);

    expect(plan.next('j')).toEqual({
      mode: 'status',
      status: 429,
      retryAfter: 2,
    });
  });

  it('lets a rule for another job not block the rest of the queue', () => {
    const plan = new FaultPlan();
    plan.add([{ mode: 'reset', jobId: 'other' }, { mode: 'slow' }]);

    expect(plan.next('j')?.mode).toBe('slow');
    expect(plan.next(undefined)).toBeUndefined();
    expect(plan.next('other')?.mode).toBe('reset');
  });

  it('draws the same chaos for the same seed', () => {
    const draw = (seed: number) => {
      const plan = new FaultPlan();
      plan.setChaos({
        seed,
        probability: 0.3,
        modes: [{ mode: 'reset' }, { mode: 'slow' }],
      });
      return Array.from({ length: 50 }, () => plan.next('j')?.mode ?? '-');
    };

    const picks = draw(11);

    expect(draw(11)).toEqual(picks);
    expect(draw(12)).not.toEqual(picks);
    const faults = picks.filter(pick => pick !== '-').length;
    expect(faults).toBeGreaterThan(5);
    expect(faults).toBeLessThan(30);
  });

  it('prefers a queued fault over chaos', () => {
    const plan = new FaultPlan();
    plan.setChaos({ seed: 1, probability: 1, modes: [{ mode: 'slow' }] });
    plan.add([{ mode: 'reset' }]);

    expect([plan.next('j')?.mode, plan.next('j')?.mode]).toEqual([
      'reset',
      'slow',
    ]);
  });
});

describe('seededRandom', () => {
  it('gives numbers in [0, 1) spread over the interval', () => {
    const random = seededRandom(2024);
    const values = Array.from({ length: 10_000 }, random);

    expect(values.every(value => value >= 0 && value < 1)).toBe(true);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });
});

describe('RowRanges', () => {
  it('merges overlapping and adjacent ranges', () => {
    const ranges = new RowRanges();
    ranges.add(10, 20);
    ranges.add(1, 3);
    ranges.add(4, 5);
    ranges.add(30, 40);
    ranges.add(15, 32);

    expect(ranges.toArray()).toEqual([
      [1, 5],
      [10, 40],
    ]);
  });

  it('counts the rows of a range already in the set', () => {
    const ranges = new RowRanges();
    ranges.add(1, 10);
    ranges.add(21, 30);

    expect(ranges.overlap(5, 25)).toBe(11);
    expect(ranges.overlap(11, 20)).toBe(0);
    expect(ranges.overlap(1, 1_000_000)).toBe(20);
  });
});

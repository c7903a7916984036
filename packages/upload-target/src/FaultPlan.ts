import { seededRandom } from './random';
import type { ChaosConfig, FaultRule, FaultTemplate } from './types';

interface QueuedFault {
  rule: FaultRule;
  skipsLeft: number;
  hitsLeft: number;
}

interface Chaos {
  config: ChaosConfig;
  modes: FaultTemplate[];
  random: () => number;
}

/**
 * Decides which fault, if any, the next request gets: first from the queue
 * of rules, otherwise from chaos. Rules play out in order, so a test can
 * script "two 503s, then a reset" by queueing two rules.
 */
export class FaultPlan {
  #queue: QueuedFault[] = [];
  #chaos: Chaos | null = null;

  add(rules: FaultRule[]): void {
    for (const rule of rules) {
      this.#queue.push({
        rule,
        skipsLeft: rule.afterRequests ?? 0,
        hitsLeft: rule.count ?? 1,
      });
    }
  }

  clear(): void {
    this.#queue = [];
  }

  pending(): FaultRule[] {
    return this.#queue.map(({ rule, skipsLeft, hitsLeft }) => ({
      ...rule,
      afterRequests: skipsLeft,
      count: hitsLeft,
    }));
  }

  /** Setting chaos again re-seeds it, so a run can be repeated. */
  setChaos(config: ChaosConfig | null): void {
    this.#chaos = config && {
      config,
      modes: config.modes ?? [{ mode: 'status', status: 503 }],
      random: seededRandom(config.seed),
    };
  }

  chaos(): ChaosConfig | null {
    return this.#chaos?.config ?? null;
  }

  /** `jobId` is undefined when the request has no usable key. */
  next(jobId: string | undefined): FaultTemplate | undefined {
    return this.#nextQueued(jobId) ?? this.#nextChaos();
  }

  #nextQueued(jobId: string | undefined): FaultTemplate | undefined {
    const index = this.#queue.findIndex(
      ({ rule }) => rule.jobId === undefined || rule.jobId === jobId,
    );
    if (index < 0) return undefined;

    const entry = this.#queue[index];
    if (entry.skipsLeft > 0) {
      entry.skipsLeft -= 1;
      return undefined;
    }

    entry.hitsLeft -= 1;
    if (entry.hitsLeft === 0) this.#queue.splice(index, 1);
    return toTemplate(entry.rule);
  }

  #nextChaos(): FaultTemplate | undefined {
    const chaos = this.#chaos;
    if (!chaos || chaos.random() >= chaos.config.probability) return undefined;

    const pick = Math.floor(chaos.random() * chaos.modes.length);
    return chaos.modes[pick];
  }
}

function toTemplate(rule: FaultRule): FaultTemplate {
  const {
    afterRequests: _skip,
    count: _count,
    jobId: _jobId,
    ...template
  } = rule;
  return template;
}

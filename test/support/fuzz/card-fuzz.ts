import { apduStack } from '../../../src/apdu/apdu-stack.js';
import type { Transmitter } from '../../../src/apdu/transmitter.js';
import { isSscardError } from '../../../src/core/sscard-error.js';
import { InProcessTransport, simulatedReader } from '../../../src/transport/in-process/in-process-transport.js';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { mutateResponse } from './mutate-response.js';
import { Prng, inputSeed } from './prng.js';

/**
 * One card operation to fuzz: a simulated card of `profile` behind the real processor stack
 * (`apduStack`), whose responses the fuzzing transport mutates. New paths (PBOC, photo, ...) are
 * one entry of the table in test/unit/fuzz/card-fuzz.test.ts.
 */
export interface CardFuzzPath {
  readonly name: string;
  readonly profile: string;
  /** Runs the operation; returns what it produced (warnings are counted when it has `warnings`). */
  run(stack: Transmitter, atr: Uint8Array): Promise<unknown>;
}

export interface CardFuzzFigures {
  readonly path: string;
  inputs: number;
  /** Data returned (with or without warnings). */
  ok: number;
  okWithWarnings: number;
  /**
   * Data that differs from the clean run's and carries no warning. Not all of these are misses
   * (a flipped bit can turn one valid Han character into another): the figure to watch, with a
   * few seeds to look at.
   */
  changedWithoutWarning: number;
  changedSamples: number[];
  /** Typed errors (SscardError) by layer:code. */
  typed: Record<string, number>;
  typedTotal: number;
  /** Anything else: the seed to replay, the error class and message. */
  untyped: { seed: number; error: string }[];
  hangs: number[];
  maxTransmits: number;
  maxMs: number;
  /** APDUs of the unmutated operation (the mutations hit one of these, or the ones they cause). */
  cleanTransmits: number;
}

/** Counts exchanges and mutates the answers to the chosen exchange numbers. */
class FuzzTransport implements Transmitter {
  count = 0;
  constructor(
    private readonly inner: Transmitter,
    private readonly targets: ReadonlySet<number>,
    private readonly rng: Prng,
  ) {}
  async transmit(command: Uint8Array): Promise<Uint8Array> {
    const n = this.count++;
    const r = await this.inner.transmit(command);
    return this.targets.has(n) ? mutateResponse(r, this.rng) : r;
  }
}

function fresh(profile: string): { transport: InProcessTransport; atr: Uint8Array } {
  const transport = new InProcessTransport(createSimulatedCard(profile), simulatedReader(profile, 0));
  return { transport, atr: transport.atr };
}

/**
 * Drives `inputs` mutated runs of one path. Per input: 1-3 of the exchanges (numbered as in the
 * clean run, plus a few beyond it for the extra exchanges a mutation causes) get a mutated
 * answer. Outcome: data (with warnings) or a typed error; anything else is recorded with its
 * seed, as is a run that does not finish within `timeoutMs` (a hang or an unbounded loop).
 */
export async function fuzzCardPath(
  path: CardFuzzPath,
  o: { inputs: number; seed: number; timeoutMs?: number; /** replay exactly these input seeds (regression tests) */ seeds?: readonly number[] },
): Promise<CardFuzzFigures> {
  const clean = fresh(path.profile);
  const counter = new FuzzTransport(clean.transport, new Set(), new Prng(0));
  const cleanJson = JSON.stringify(await path.run(apduStack(counter), clean.atr));
  const figures: CardFuzzFigures = { path: path.name, inputs: 0, ok: 0, okWithWarnings: 0, changedWithoutWarning: 0, changedSamples: [], typed: {}, typedTotal: 0, untyped: [], hangs: [], maxTransmits: 0, maxMs: 0, cleanTransmits: counter.count };
  const timeoutMs = o.timeoutMs ?? 5000;
  const total = o.seeds?.length ?? o.inputs;
  for (let i = 0; i < total; i++) {
    const seed = o.seeds ? o.seeds[i]! : inputSeed(o.seed, i);
    const rng = new Prng(seed);
    const targets = new Set<number>();
    const hits = 1 + (rng.chance(0.2) ? rng.int(3) : 0);
    for (let h = 0; h < hits; h++) targets.add(rng.int(counter.count + 3));
    const { transport, atr } = fresh(path.profile);
    const t = new FuzzTransport(transport, targets, rng);
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      path.run(apduStack(t), atr).then(
        (value) => ({ kind: 'ok' as const, value }),
        (error: unknown) => ({ kind: 'error' as const, error }),
      ),
      new Promise<{ kind: 'hang' }>((resolve) => {
        timer = setTimeout(() => resolve({ kind: 'hang' }), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    const ms = performance.now() - started;
    figures.inputs++;
    figures.maxMs = Math.max(figures.maxMs, ms);
    figures.maxTransmits = Math.max(figures.maxTransmits, t.count);
    if (outcome.kind === 'hang') figures.hangs.push(seed);
    else if (outcome.kind === 'ok') {
      figures.ok++;
      const w = (outcome.value as { warnings?: unknown[] } | undefined)?.warnings;
      if (Array.isArray(w) && w.length > 0) figures.okWithWarnings++;
      else if (JSON.stringify(outcome.value) !== cleanJson) {
        figures.changedWithoutWarning++;
        if (figures.changedSamples.length < 5) figures.changedSamples.push(seed);
      }
    } else if (isSscardError(outcome.error)) {
      const key = `${outcome.error.layer}:${outcome.error.code}`;
      figures.typed[key] = (figures.typed[key] ?? 0) + 1;
      figures.typedTotal++;
    } else {
      const e = outcome.error as Error;
      figures.untyped.push({ seed, error: `${e?.name ?? typeof e}: ${String(e?.message ?? e).slice(0, 200)}` });
    }
  }
  return figures;
}

import { describe, expect, it } from 'vitest';
import { onFirstCall } from '../../../src/service/operations/on-first-call.js';

describe('onFirstCall (operation modules imported on first use)', () => {
  it('loads on the first call only, shares one load between concurrent first calls', async () => {
    let loads = 0;
    const op = onFirstCall(async () => {
      loads++;
      return async (a: number, b: number) => a + b;
    });
    expect(loads).toBe(0);
    expect(await Promise.all([op(1, 2), op(3, 4)])).toEqual([3, 7]);
    expect(await op(5, 6)).toBe(11);
    expect(loads).toBe(1);
  });

  it('a failed load is not kept: the call rejects, the next call loads again', async () => {
    let loads = 0;
    const op = onFirstCall(async () => {
      if (++loads === 1) throw new Error('module not found');
      return async () => 'ok';
    });
    await expect(op()).rejects.toThrow('module not found');
    expect(await op()).toBe('ok');
    expect(loads).toBe(2);
  });

  it("the operation's own rejection reaches the caller unchanged", async () => {
    const op = onFirstCall(async () => async () => {
      throw new RangeError('NO_CARD');
    });
    await expect(op()).rejects.toBeInstanceOf(RangeError);
    await expect(op()).rejects.toBeInstanceOf(RangeError);
  });
});

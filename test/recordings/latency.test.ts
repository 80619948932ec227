import assert from 'node:assert/strict';
import { defaultLatency, latencyProfile } from '../../src/derive/latency';

describe('derive/latency', () => {
  const cases: [string, number[], number[], number][] = [
    ['empty', [], [0], 0],
    ['one sample', [42], [42, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42], 1],
    [
      '0..100 in steps of 10',
      [100, 0, 50, 10, 90, 20, 80, 30, 70, 40, 60],
      [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
      11,
    ],
    ['two samples interpolate', [10, 20], [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 2],
    ['rounded to 0.1 ms', [1.234, 2.345, 3.456], [1.2, 1.5, 1.7, 1.9, 2.1, 2.3, 2.6, 2.8, 3, 3.2, 3.5], 3],
    [
      'HAR -1 and NaN ignored',
      [-1, Number.NaN, 5, Number.POSITIVE_INFINITY],
      [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5],
      1,
    ],
    [
      'long tail kept in the top quantile',
      [10, 10, 10, 10, 10, 10, 10, 10, 10, 1000],
      [10, 10, 10, 10, 10, 10, 10, 10, 10, 109, 1000],
      10,
    ],
  ];
  for (const [what, input, ms, samples] of cases) {
    it(what, () => assert.deepEqual(latencyProfile(input), { ms, samples }));
  }

  it('does not modify its input', () => {
    const input = [3, 1, 2];
    latencyProfile(input);
    assert.deepEqual(input, [3, 1, 2]);
  });

  it('default latency: the profile over every recorded exchange, else none', () => {
    assert.deepEqual(defaultLatency([]), { ms: [0], samples: 0 });
    assert.deepEqual(defaultLatency([20, 40]), latencyProfile([20, 40]));
  });
});

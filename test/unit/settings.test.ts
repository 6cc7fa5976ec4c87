// Settings as any LSP client may send them: sane values are kept, anything else falls back
// to the default (never a crash, never a half-applied value).
import * as assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, readSettings } from '../../server/src/settings';

describe('settings', () => {
  it('defaults when nothing (or garbage) is sent', () => {
    for (const raw of [undefined, null, 42, 'x', [], {}]) assert.deepEqual(readSettings(raw), DEFAULT_SETTINGS);
    assert.equal(DEFAULT_SETTINGS.defragIndexes, 256);
  });

  it('takes droneHeap.compare.defragIndexes as VS Code nests it, when it is a whole number from 1 to 2^20', () => {
    assert.equal(readSettings({ compare: { defragIndexes: 1000 } }).defragIndexes, 1000);
    assert.equal(readSettings({ compare: { defragIndexes: 1 } }).defragIndexes, 1);
    assert.equal(readSettings({ compare: { defragIndexes: 1 << 20 } }).defragIndexes, 1 << 20);
    for (const bad of [0, -5, 2.5, (1 << 20) + 1, '300', null, Number.NaN, Infinity]) {
      assert.equal(readSettings({ compare: { defragIndexes: bad } }).defragIndexes, 256, String(bad));
    }
    assert.equal(readSettings({ compare: 7 }).defragIndexes, 256);
  });

  it('keeps the other settings beside it', () => {
    const settings = readSettings({
      wordSize: 8,
      traces: { dma: ' traces/dma ' },
      traceFigures: 'codeLens',
      traceSummaryLens: false,
      compare: { defragIndexes: 64 },
      firmware: ' build/fw.elf ',
      minStackBytes: 2048,
      deviceFigures: false,
    });
    assert.deepEqual(settings, {
      wordSize: 8,
      traces: { dma: 'traces/dma' },
      traceFigures: 'codeLens',
      traceSummaryLens: false,
      defragIndexes: 64,
      firmware: 'build/fw.elf',
      minStackBytes: 2048,
      deviceFigures: false,
    });
    assert.equal(readSettings({ minStackBytes: -1 }).minStackBytes, 1024, 'nonsense keeps the default');
  });
});

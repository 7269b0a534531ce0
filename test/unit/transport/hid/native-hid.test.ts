import { describe, expect, it } from 'vitest';
import { nativeHidBinding } from '../../../../native-shims/node-hid.js';
import { HidReaderSource } from '../../../../src/transport/hid/hid-reader-source.js';

describe('the real node-hid binding (bundled prebuild)', () => {
  it('loads and enumerates; the HID source starts and stops over it without holding the process', async () => {
    const devices = await nativeHidBinding.devices();
    expect(Array.isArray(devices)).toBe(true);
    for (const d of devices) expect(typeof d.vendorId).toBe('number');
    const source = new HidReaderSource({ pollMs: 50 });
    await source.start();
    await new Promise((r) => setTimeout(r, 120)); // a couple of polling rounds
    // no reference reader is attached to a build machine: only matching devices become readers
    expect(source.readers().every((r) => r.reader.kind === 'hid')).toBe(true);
    await source.stop();
  });

  it('opening a path that does not exist is an error from the binding', async () => {
    await expect(nativeHidBinding.open('/dev/hidraw-does-not-exist', { nonExclusive: false })).rejects.toThrow();
  });
});

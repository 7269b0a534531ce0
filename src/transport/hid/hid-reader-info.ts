import type { HidDeviceInfo } from '../../../native-shims/node-hid.js';
import type { ReaderInfo } from '../reader-info.js';
import type { HidReaderDriver } from './hid-reader-driver.js';

export const HID_READER_ID_PREFIX = 'hid:';

const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');

/**
 * Reader identity of a HID device: id `hid:VID:PID:<serial or path>` (stable across re-plugging
 * when the device has a serial number), name `<product> (HID VID:PID <serial or path>)`.
 */
export function hidReaderInfo(device: HidDeviceInfo, driver: HidReaderDriver): ReaderInfo {
  const ids = `${hex4(device.vendorId)}:${hex4(device.productId)}`;
  const where = device.serialNumber || device.path || '?';
  const product = [device.manufacturer, device.product].filter((s) => s && s.trim()).join(' ') || 'HID card reader';
  return Object.freeze({
    id: `${HID_READER_ID_PREFIX}${ids}:${where}`,
    name: `${product} (HID ${ids} ${where})`,
    kind: 'hid' as const,
    simulated: false,
    cardInterface: driver.cardInterface,
  });
}

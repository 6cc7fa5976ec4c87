// Under the strip, when the device's memory was read: where the figures come from, and what
// stands in their way (memory that is not the heap) or qualifies them (a firmware built from
// another Drone.toml). The figures themselves are in the strip (a line at each pool's device
// peak) and the table (Device peak, Device now).
import type { DeviceHeapFigures } from '../../../../protocol/device';
import { h } from './dom';

export function renderDeviceNotes(device: DeviceHeapFigures): HTMLElement {
  const parts: HTMLElement[] = [h('p', { class: 'device-caption' }, `Device: peaks since reset and use now, from ${device.source}.`)];
  if (device.problem) parts.push(h('p', { class: 'device-note worse' }, `No device figures: ${device.problem}.`));
  if (device.mismatch) parts.push(h('p', { class: 'device-note' }, `The firmware was built from another Drone.toml: ${device.mismatch}.`));
  return h('div', { class: 'device', id: 'device-notes' }, ...parts);
}

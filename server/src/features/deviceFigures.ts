// The device's figures of one heap, for the features that show them beside its pools.
import type { HeapConfig } from '../core/config/droneConfig';
import type { DevicePool } from '../core/device/decodeHeap';
import type { DeviceStates } from '../device/deviceStates';

type Reading = ReturnType<DeviceStates['readingOf']>;

/** The decoded pools of `heap` (paired with Drone.toml's by block size), or null. */
export function devicePoolsOf(reading: Reading, heap: HeapConfig): DevicePool[] | null {
  if (!reading || !('heaps' in reading)) return null;
  const state = reading.heaps.find((h) => h.match.heap === heap)?.state;
  return state?.kind === 'decoded' ? state.pools : null;
}

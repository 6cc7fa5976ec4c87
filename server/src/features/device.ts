// The device's heap: the requests that load a RAM dump and take memory read at a debug stop,
// and the findings they give. The client drives the debug adapter (it owns the session); the
// server says which addresses to read and decodes them (core/device).
import { ResponseError } from 'vscode-languageserver';
import {
  DeviceClearRequest,
  DeviceDumpInfoRequest,
  DeviceMemoryRequest,
  LoadDeviceDumpRequest,
  type DeviceAnswer,
} from '../../../protocol/device';
import { DroneHeapErrorCodes } from '../../../protocol/lsp';
import type { Finding } from '../core/checks/finding';
import { findMemory, type DroneConfig } from '../core/config/droneConfig';
import { NotARegularFileError } from '../core/regularFile';
import { toWireDeviceStatus } from './wire/device';
import { openDocument, parsedDocument, type Feature, type ServerContext } from './feature';

/** The device findings of a document as it is now (none before anything was read). */
export function deviceFindingsOf(context: Pick<ServerContext, 'device'>, uri: string, config: DroneConfig): Finding[] {
  const reading = context.device.readingOf(uri, config);
  return reading && 'heaps' in reading ? reading.findings : [];
}

function requireParsed(context: ServerContext, uri: string) {
  if (!openDocument(context, uri)) throw new ResponseError(DroneHeapErrorCodes.DocumentNotOpen, `${uri} is not open`);
  const open = parsedDocument(context, uri);
  if (!open) throw new ResponseError(DroneHeapErrorCodes.SyntaxError, 'Drone.toml has a syntax error; fix it first.');
  return open;
}

function answerFor(context: ServerContext, uri: string, config: DroneConfig): DeviceAnswer {
  const reading = context.device.readingOf(uri, config);
  const status = toWireDeviceStatus(reading);
  if (!reading) return { ok: false, message: 'Nothing was read from the device.', status };
  if ('problem' in reading) return { ok: false, message: `No device figures from ${reading.sourceName}: ${reading.problem}.`, status };
  const decoded = reading.heaps.filter((h) => h.state.kind === 'decoded').length;
  const problems = reading.findings.filter((f) => f.code === 'device-memory-problem').map((f) => f.message);
  if (decoded === 0) return { ok: false, message: problems[0] ?? `No heap could be read from ${reading.sourceName}.`, status };
  return { ok: true, message: status?.tooltip.replace(/\n/g, ' ') ?? '', status };
}

export const deviceFeature: Feature = {
  capabilities: {},
  register(context) {
    const { connection, device } = context;

    connection.onRequest(DeviceDumpInfoRequest, ({ uri }) => {
      const { config } = requireParsed(context, uri);
      const ram = findMemory(config, 'ram');
      return { ramOrigin: ram?.origin?.value ?? null, ramSize: ram?.size?.bytes ?? null };
    });

    connection.onRequest(LoadDeviceDumpRequest, ({ uri, path, address }) => {
      const { config } = requireParsed(context, uri);
      try {
        device.loadDump(uri, path, address);
      } catch (error) {
        const reason =
          error instanceof NotARegularFileError
            ? `it is ${error.kind}, not a regular file`
            : (error as NodeJS.ErrnoException).code === 'ENOENT'
              ? 'no such file'
              : error instanceof Error
                ? error.message
                : String(error);
        return { ok: false, message: `Cannot load ${path}: ${reason}.`, status: toWireDeviceStatus(device.readingOf(uri, config)) };
      }
      return answerFor(context, uri, config);
    });

    connection.onRequest(DeviceMemoryRequest, ({ uri, session, stoppedAt, pieces }) => {
      const open = parsedDocument(context, uri);
      if (!open) return { kind: 'unavailable', reason: `${uri} is not open or does not parse` };
      const decoded = pieces.map((p) => ({ address: p.address, bytes: new Uint8Array(Buffer.from(p.data, 'base64')) }));
      const next = device.debugMemory(uri, open.config, session, stoppedAt, decoded);
      if (typeof next === 'string') return { kind: 'unavailable', reason: next };
      if (next) return { kind: 'needs', ranges: next };
      return { kind: 'done', answer: answerFor(context, uri, open.config) };
    });

    connection.onRequest(DeviceClearRequest, ({ uri }) => {
      device.clear(uri);
      return null;
    });
  },
};

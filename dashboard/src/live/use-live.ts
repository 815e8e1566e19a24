/** React hooks over the app's event stream. */
import { useEffect, useRef, useState } from 'react';
import type { StageChangeEvent, VersionCreatedEvent } from '../api/types';
import { events, type ServerEvent } from './event-stream';

/** Calls `onChange` when a stage changes or a version is created (of `modelName` only, when given). */
export function useModelEvents(modelName: string | null | undefined, onChange: (e: ServerEvent) => void): void {
  const callback = useRef(onChange);
  callback.current = onChange;
  useEffect(
    () =>
      events.subscribe((e) => {
        if (e.event !== 'stage_change' && e.event !== 'version_created') return;
        const data = e.data as StageChangeEvent | VersionCreatedEvent;
        if (modelName && data.modelName !== modelName) return;
        callback.current(e);
      }),
    [modelName],
  );
}

/** Whether the live stream is connected. */
export function useLiveStatus(): boolean {
  const [connected, setConnected] = useState(events.connected);
  useEffect(() => events.onStatus(setConnected), []);
  return connected;
}

import { Alert, Spin } from 'antd';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { DeskStatus } from '../../../../shared/domain/desk';
import { client, LOCKED_EVENT } from '../../api/client';
import { LockScreen } from './LockScreen';

/** What the app inside the gate gets: who is working, and the lock. */
export interface DeskControls {
  status: DeskStatus;
  lock(): void;
  /** After the idle time changes in 设置. */
  refresh(): void;
}

const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Nothing of the desk is shown until it is unlocked. Once open, the page locks itself after the clerk's
 * idle minutes without a key or mouse (the core also locks on its own clock, for a window left open), and
 * whenever the core answers "locked".
 */
export function DeskGate({ children }: { children(controls: DeskControls): ReactNode }) {
  const [status, setStatus] = useState<DeskStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    client.invoke('desk.status', {}).then(setStatus, (e: Error) => setError(e.message));
  }, []);
  useEffect(load, [load]);
  useEffect(() => {
    window.addEventListener(LOCKED_EVENT, load);
    return () => window.removeEventListener(LOCKED_EVENT, load);
  }, [load]);
  const lock = useCallback(() => {
    client.invoke('desk.lock', {}).then(setStatus, (e: Error) => setError(e.message));
  }, []);

  const idleMinutes = status?.state === 'open' ? status.idleMinutes : null;
  useEffect(() => {
    if (!idleMinutes) return;
    let timer = window.setTimeout(lock, idleMinutes * 60_000);
    const touch = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(lock, idleMinutes * 60_000);
    };
    for (const e of ACTIVITY) window.addEventListener(e, touch, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const e of ACTIVITY) window.removeEventListener(e, touch);
    };
  }, [idleMinutes, lock]);

  if (error) return <Alert type="error" showIcon style={{ margin: 40 }} message="无法连接到数据" description={error} />;
  if (!status) return <Spin style={{ display: 'block', marginTop: 120 }} size="large" />;
  if (status.state !== 'open') return <LockScreen status={status} onOpen={setStatus} />;
  return <>{children({ status, lock, refresh: load })}</>;
}

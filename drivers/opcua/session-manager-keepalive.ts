// Keep-alive of one session: every interval, a read of the server's CurrentTime. It gives
// the latency shown on the Devices page, and it notices a connection that went silent
// without closing (a cable pulled, a frozen server), which TCP may not report for many
// minutes. Unanswered reads and a subscription whose publish responses stopped coming
// (even an idle subscription answers every keep-alive period) drop the session.
import { performance } from 'node:perf_hooks';
import { AttributeIds, VariableIds } from 'node-opcua';
import { within } from './deadline';
import { messageOf } from './opcua-error';
import type { Live, ServerConnection } from './session-manager-server';

const CURRENT_TIME = `i=${VariableIds.Server_ServerStatus_CurrentTime}`;

export class KeepAlive {
  private readonly timer: NodeJS.Timeout;
  private readonly startedMs: number;
  private failures = 0;
  private busy = false;
  private stopped = false;

  constructor(
    private readonly conn: ServerConnection,
    private readonly live: Live,
  ) {
    this.startedMs = conn.settings.nowMs();
    this.timer = setInterval(() => void this.tick(), conn.settings.keepAliveIntervalMs);
    this.timer.unref();
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.busy || this.stopped) return;
    this.busy = true;
    try {
      await this.check();
    } finally {
      this.busy = false;
    }
  }

  private async check(): Promise<void> {
    const { conn, live } = this;
    const { settings, health } = conn;
    const timeoutMs = Math.min(settings.requestTimeoutMs, settings.keepAliveIntervalMs * 2);
    const startedMs = performance.now();
    const read = live.session.session
      .read({ nodeId: CURRENT_TIME, attributeId: AttributeIds.Value })
      .then((dv) => (dv.statusCode.isGood() ? null : dv.statusCode.name), messageOf);
    const outcome = await within(read, timeoutMs);
    if (this.stopped || conn.live() !== live) return;
    if (outcome.done && outcome.value === null) {
      this.failures = 0;
      health.keepAliveAnswered(Math.round((performance.now() - startedMs) * 10) / 10);
    } else {
      this.failures++;
      const why = outcome.done ? outcome.value : `no answer within ${timeoutMs} ms`;
      health.failed(`keep-alive read: ${why}`);
      if (this.failures >= settings.keepAliveFailuresToDrop) {
        conn.lose(live, `${live.session.endpointUrl} stopped answering (${why})`);
        return;
      }
    }
    const subscription = live.subscription;
    if (!subscription) return;
    const periodMs = subscription.publishingInterval * subscription.maxKeepAliveCount;
    const overdueMs = 3 * periodMs + settings.keepAliveIntervalMs;
    const nowMs = settings.nowMs();
    const silentMs = nowMs - (health.snapshot().lastPublishMs ?? this.startedMs);
    if (silentMs > overdueMs)
      conn.lose(live, `no publish response from ${live.session.endpointUrl} for ${silentMs} ms`);
  }
}

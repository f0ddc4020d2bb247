import { withDeps, type CliCommand } from '../../../platform/index.ts';
import { dispatchNotifications } from './notification.service.ts';

/** `minxin voices notify`: one dispatcher run (what the server does every NOTIFY_INTERVAL_SECONDS). */
export const notificationCommands: CliCommand[] = [
  {
    name: 'voices notify',
    summary: 'Send the notifications due now: read new case events, write in-app notifications, deliver e-mails and webhooks',
    usage: 'minxin voices notify',
    options: {},
    async run(_args, io) {
      return withDeps(io, async (deps) => {
        const report = await dispatchNotifications(deps);
        io.stdout(`events ${report.events}, notifications ${report.notifications}, deliveries queued ${report.deliveriesQueued}, sent ${report.sent}, retrying ${report.retrying}, failed ${report.failed}`);
      });
    },
  },
];

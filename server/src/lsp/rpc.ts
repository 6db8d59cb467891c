/** Typed registration and sending over the server connection for the defs in protocol.ts. */
import type { Connection } from 'vscode-languageserver/node';
import type { NotificationDef, RequestDef } from '../../../common/protocol';

export function onRequest<P, R>(connection: Connection, def: RequestDef<P, R>, handler: (params: P) => R | Promise<R>): void {
  connection.onRequest(def.method, (params: P) => handler(params) as never);
}

export function sendNotification<P>(connection: Connection, def: NotificationDef<P>, params: P): void {
  void connection.sendNotification(def.method, params);
}

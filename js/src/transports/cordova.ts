/**
 * The Cordova transport: `cordova.exec` on the service `OneginiSdk`, action
 * `invoke` for calls and action `listen` (kept callback) for events. The
 * plugin answers each `invoke` from the core's per-call reply (no ids are
 * matched anywhere): success with the result's JSON text, failure with the
 * error object's JSON text.
 */
import { toOneginiError } from '../errors';
import { encodeRequest, EventSink, parseEventParams, parseResultText, Transport } from '../transport';
import { nativeError } from './native-error';

/** The Cordova service name of the plugin. */
export const CORDOVA_SERVICE = 'OneginiSdk';

/** `cordova.exec`'s signature. */
export type CordovaExec = (
  success: (result?: unknown) => void,
  failure: (error?: unknown) => void,
  service: string,
  action: string,
  args?: unknown[],
) => void;

/**
 * Creates the Cordova transport.
 * @param exec `cordova.exec`, or a function returning it (resolved on first use).
 */
export function createCordovaTransport(exec: CordovaExec | (() => CordovaExec)): Transport {
  let resolved: CordovaExec | null = null;
  const getExec = (): CordovaExec => {
    if (resolved === null) {
      // A factory takes no arguments; exec itself takes five.
      resolved = exec.length === 0 ? (exec as () => CordovaExec)() : (exec as CordovaExec);
    }
    return resolved;
  };
  const sinks = new Set<EventSink>();
  let listening = false;

  function listen(): void {
    if (listening) return;
    listening = true;
    getExec()(
      (message) => {
        const params = parseEventParams(message);
        if (params === null) return;
        for (const s of [...sinks]) s(params);
      },
      (err) => {
        listening = false;
        const e = toOneginiError(err);
        const c = (globalThis as { console?: { error?: (...a: unknown[]) => void } }).console;
        if (c?.error) c.error(`OneginiSdk: the event channel failed: ${e.code} ${e.message}`);
      },
      CORDOVA_SERVICE,
      'listen',
      [],
    );
  }

  return {
    invoke(method: string, params: Record<string, unknown>): Promise<unknown> {
      listen(); // events of the flow this call starts must not be lost
      let json: string;
      try {
        json = encodeRequest(method, params).json;
      } catch (err) {
        return Promise.reject(toOneginiError(err));
      }
      return new Promise((resolve, reject) => {
        try {
          getExec()(
            (text) => {
              try {
                resolve(parseResultText(method, text));
              } catch (err) {
                reject(toOneginiError(err));
              }
            },
            (err) => reject(nativeError(err)),
            CORDOVA_SERVICE,
            'invoke',
            [json],
          );
        } catch (err) {
          reject(toOneginiError(err));
        }
      });
    },
    subscribe(sink: EventSink): () => void {
      sinks.add(sink);
      listen();
      return () => {
        sinks.delete(sink);
      };
    },
  };
}

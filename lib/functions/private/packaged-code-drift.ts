import { IConstruct, IValidation } from 'constructs';
import { DEFAULT_WEB_PUBSUB_CONNECTION } from '../../common/azure-constants';
import { getTriggerBinding, listWebPubSubHandlers, type RegisteredFunction } from '../../code/private/function-registration-recorder';
import { declaredHttpHandlers } from '../../code/private/declared-event-handlers';
import { functionsRoutePrefix } from '../../code/private/host-json';
import { warnAtSynth } from '../../core/synth-messages';
import { WebPubSubHub } from '../../webpubsub/web-pubsub-hub';
import type { IWebPubSubService } from '../../webpubsub/web-pubsub-service';

/** What the drift check needs to know about the app it guards. */
export interface DriftCheckedApp extends IConstruct {
  readonly connectionPrefixes: readonly string[];
  readonly connectedServices: readonly IWebPubSubService[];
  /** The `WebPubSubHub` setting: the hub of triggers that name none. */
  readonly defaultHubName?: string;
}

/** What the drift check reads of the packaged code. */
export interface DriftCheckedCode {
  readonly registrations: readonly RegisteredFunction[];
  readonly hostJson?: Record<string, unknown>;
}

const WEB_PUBSUB_BINDINGS = ['webPubSubTrigger', 'webPubSub', 'webPubSubConnection', 'webPubSubContext'];

/** A hub value the host resolves at runtime (`%SETTING%` or `{expression}`) cannot be checked at synth. */
function isLiteralHub(hub: string | undefined): hub is string {
  return typeof hub === 'string' && hub.length > 0 && !/[%{}]/.test(hub);
}

/**
 * Synth-time check that the packaged code and the stack agree:
 * - every Web PubSub binding with a literal hub names a hub the stack declares on a service the app connects to;
 * - every binding's `connection`/`connections` names a setting prefix the app has identity settings for;
 * - a hub whose handler targets this app with explicit routing has a trigger for each routed event (warning);
 * - each trigger's event reaches this app: the first handler of its hub that matches the event (the service stops at
 *   the first match) is this app's extension webhook. A `connect` trigger that is not reached is an error (the
 *   connection is accepted without the code's check, e.g. an authentication gate); other events warn.
 * Errors fail `app.synth()`; nothing of this needs Azure or a Functions host.
 */
export class PackagedCodeDriftValidation implements IValidation {
  private readonly registrations: readonly RegisteredFunction[];
  private readonly hostJson?: Record<string, unknown>;

  public constructor(
    private readonly app: DriftCheckedApp,
    code: DriftCheckedCode,
  ) {
    this.registrations = code.registrations;
    this.hostJson = code.hostJson;
  }

  public validate(): string[] {
    const errors: string[] = [];
    const hubs = this.app.node.root.node.findAll().filter((c): c is WebPubSubHub => c instanceof WebPubSubHub);
    const servicePaths = new Set(this.app.connectedServices.map((s) => s.node.path));
    const declared = hubs.filter((h) => servicePaths.has(h.service.node.path)).map((h) => h.hubName.toLowerCase());
    const prefixes = new Set(this.app.connectionPrefixes);

    for (const fn of this.registrations) {
      for (const [bindingName, b] of Object.entries(fn.bindings)) {
        if (!WEB_PUBSUB_BINDINGS.includes(b.type)) continue;
        const where = `function "${fn.name}" (${fn.entryPoint}) binding "${bindingName}" (${b.type})`;
        if (isLiteralHub(b.hub) && !declared.includes(b.hub.toLowerCase())) {
          errors.push(`${where} uses hub "${b.hub}", which the stack does not declare; declared hubs: ${declared.join(', ') || 'none'}`);
        }
        // The trigger validates signatures only against the services it names; the context input defaults to the
        // default prefix; the other bindings use `connection`.
        const named = [...(b.connections ?? []), ...(b.connection ? [b.connection] : [])];
        const used = b.type === 'webPubSubTrigger' ? named : b.type === 'webPubSubContext' ? (named.length > 0 ? named : [DEFAULT_WEB_PUBSUB_CONNECTION]) : [b.connection ?? DEFAULT_WEB_PUBSUB_CONNECTION];
        for (const prefix of used) {
          if (/^%.*%$/.test(prefix)) continue;
          if (!prefixes.has(prefix)) {
            errors.push(
              `${where} uses connection "${prefix}", but the app has identity settings only for: ${[...prefixes].join(', ') || 'none'} (add a webPubSubConnections entry with settingPrefix "${prefix}")`,
            );
          }
        }
      }
    }
    this.warnUnhandledRouting(hubs);
    const connectedHubs = hubs.filter((h) => servicePaths.has(h.service.node.path));
    errors.push(...this.unroutedTriggers(connectedHubs));
    errors.push(...this.unroutedHttpHandlers(connectedHubs, declared));
    errors.push(...this.unservedHttpRoutes(connectedHubs));
    return errors;
  }

  /**
   * A hub handler that points at this app's HTTP path for events (`EventHandler.httpFunction(app, 'api/{event}')`, as
   * Microsoft's `simplechat-wpscontext` sample does): each routed event, and `validate` (the service's check when the
   * hub is saved), must reach an HTTP function with the `webPubSubContext` input. An unserved `connect` is an error.
   */
  private unservedHttpRoutes(hubs: WebPubSubHub[]): string[] {
    const errors: string[] = [];
    const prefix = functionsRoutePrefix(this.hostJson);
    const functions = this.registrations.flatMap((fn) => {
      const trigger = getTriggerBinding(fn);
      if (trigger?.type !== 'httpTrigger') return [];
      const route = typeof trigger.route === 'string' && trigger.route !== '' ? trigger.route : fn.name;
      return [{ fn, pattern: routePattern(prefix === '' ? route : `${prefix}/${route}`), context: Object.values(fn.bindings).some((b) => b.type === 'webPubSubContext') }];
    });
    for (const hub of hubs) {
      for (const handler of hub.eventHandlers) {
        if (handler.kind !== 'httpFunction' || handler.functionAppPath !== this.app.node.path || !handler.urlPath) continue;
        if (listWebPubSubHandlers(this.registrations).some((d) => `/${declaredHttpHandlers(this.registrations, this.hostJson, d.hub)!.path}` === handler.urlPath)) continue;
        const user = handler.userEventPattern === undefined || handler.userEventPattern === '*' ? [] : handler.userEventPattern.split(',').map((n) => n.trim());
        for (const event of ['validate', ...handler.systemEvents, ...user]) {
          const path = handler.urlPath.replace(/^\//, '').replace(/\{hub\}/g, hub.hubName).replace(/\{event\}/g, event);
          const served = functions.find((f) => f.pattern.test(path));
          if (served?.context) continue;
          const what = served ? `function "${served.fn.name}", which has no webPubSubContext input` : 'no HTTP function of the app';
          const message = `hub "${hub.hubName}" sends ${event === 'validate' ? "the service's URL validation (OPTIONS, {event} = validate)" : `"${event}"`} to ${this.app.node.path} at /${path}, where ${what} answers`;
          if (event === 'connect' || event === 'validate') errors.push(`${message}: ${event === 'connect' ? 'connections would not be checked' : 'the hub could not be saved'}; register the handlers with registerWebPubSubHandlers, or add a function at that route`);
          else warnAtSynth(hub, `${message}, so the event is lost`);
        }
      }
    }
    return errors;
  }

  /**
   * Each event a `registerWebPubSubHandlers` call handles must reach that function: the first handler of its hub that
   * matches the event is this app's HTTP path for it. A `connect` that does not is an error (its check never runs).
   */
  private unroutedHttpHandlers(hubs: WebPubSubHub[], declaredHubs: string[]): string[] {
    const errors: string[] = [];
    for (const d of listWebPubSubHandlers(this.registrations)) {
      if (!declaredHubs.includes(d.hub.toLowerCase())) {
        errors.push(`function "${d.functionName}" (registerWebPubSubHandlers) handles hub "${d.hub}", which the stack does not declare; declared hubs: ${declaredHubs.join(', ') || 'none'}`);
        continue;
      }
      const hub = hubs.find((h) => h.hubName.toLowerCase() === d.hub.toLowerCase());
      if (!hub) continue;
      const path = `/${declaredHttpHandlers(this.registrations, this.hostJson, d.hub)!.path}`;
      const events: Array<{ system: boolean; name: string }> = [
        ...d.systemEvents.map((name) => ({ system: true, name })),
        ...(d.userEventPattern === undefined ? [] : d.userEventPattern.split(',').map((name) => ({ system: false, name }))),
      ];
      for (const { system, name } of events) {
        const first = hub.eventHandlers.find((h) =>
          system ? h.systemEvents.includes(name) : h.userEventPattern === '*' || name === '*' ? h.userEventPattern !== undefined : (h.userEventPattern ?? '').split(',').map((n) => n.trim()).includes(name),
        );
        if (first && first.kind === 'httpFunction' && first.functionAppPath === this.app.node.path && first.urlPath === path) continue;
        const where = `function "${d.functionName}" (registerWebPubSubHandlers) handles the ${system ? 'system' : 'user'} event "${name}" of hub "${hub.hubName}"`;
        const stack = first ? `but the hub sends it to ${first.kind === 'url' ? 'another URL' : `${first.functionAppPath}${first.urlPath ?? ''}`} first (the first matching handler wins)` : 'but the hub routes it to no handler';
        const fix = `leave the hub's handler to the code (the default), or route "${name}" to EventHandler.functionApp(app)`;
        if (system && name === 'connect') errors.push(`${where}, ${stack}: connections would be accepted without it (an authentication check in it never runs); ${fix}`);
        else warnAtSynth(hub, `${where}, ${stack}, so it never runs; ${fix}`);
      }
    }
    return errors;
  }

  private unroutedTriggers(hubs: WebPubSubHub[]): string[] {
    const errors: string[] = [];
    for (const fn of this.registrations) {
      for (const [bindingName, b] of Object.entries(fn.bindings)) {
        if (b.type !== 'webPubSubTrigger') continue;
        const hubName = typeof b.hub === 'string' && b.hub !== '' ? b.hub : this.app.defaultHubName;
        if (!isLiteralHub(hubName)) continue; // resolved at runtime
        const hub = hubs.find((h) => h.hubName.toLowerCase() === hubName.toLowerCase());
        if (!hub) continue; // reported above as an undeclared hub
        const system = String(b.eventType).toLowerCase() === 'system';
        const event = String(b.eventName);
        const first = hub.eventHandlers.find((h) =>
          system
            ? h.systemEvents.includes(event.toLowerCase())
            : h.userEventPattern === '*' || (h.userEventPattern ?? '').split(',').map((n) => n.trim()).includes(event),
        );
        if (first && first.kind === 'functionsExtension' && first.functionAppPath === this.app.node.path) continue;
        const where = `function "${fn.name}" (${fn.entryPoint}) handles the ${system ? 'system' : 'user'} event "${event}" of hub "${hub.hubName}" (binding "${bindingName}")`;
        const stack = first
          ? `but the hub sends it to ${first.kind === 'url' ? 'another URL' : first.functionAppPath === this.app.node.path ? `this app's ${first.urlPath}` : first.functionAppPath} first (the first matching handler wins)`
          : `but the hub routes it to no handler (its handlers route ${describeRouting(hub)})`;
        const fix = `route it to the app: add "${event}" to ${system ? 'systemEvents' : 'userEventPattern'} of the hub's Functions extension handler, or leave the hub's routing to the code`;
        if (system && event.toLowerCase() === 'connect') {
          errors.push(`${where}, ${stack}: connections would be accepted without it (an authentication check in it never runs); ${fix}`);
        } else {
          warnAtSynth(hub, `${where}, ${stack}, so it never runs; ${fix}`);
        }
      }
    }
    return errors;
  }

  private warnUnhandledRouting(hubs: WebPubSubHub[]): void {
    const triggers = this.registrations.flatMap((fn) => Object.values(fn.bindings).filter((b) => b.type === 'webPubSubTrigger'));
    for (const hub of hubs) {
      for (const handler of hub.eventHandlers) {
        if (handler.kind !== 'functionsExtension' || handler.functionAppPath !== this.app.node.path) continue;
        const forHub = triggers.filter((t) => !isLiteralHub(t.hub) || t.hub.toLowerCase() === hub.hubName.toLowerCase());
        const handled = (type: string, name: string) => forHub.some((t) => t.eventType === type && t.eventName === name);
        const unhandled = handler.systemEvents.filter((e) => !handled('system', e));
        if (handler.userEventPattern !== undefined && handler.userEventPattern !== '*') {
          unhandled.push(...handler.userEventPattern.split(',').filter((e) => !handled('user', e)));
        } else if (handler.userEventPattern === '*' && !forHub.some((t) => t.eventType === 'user')) {
          unhandled.push('* (no user event trigger)');
        }
        if (unhandled.length > 0) {
          warnAtSynth(hub, `hub "${hub.hubName}" routes ${unhandled.join(', ')} to the function app, but no trigger in its code handles it`);
        }
      }
    }
  }
}

/** An HTTP route template (`a/{b}/{c?}/{*rest}`, constraints `{id:int}`) as a case-insensitive matcher of a request path. */
function routePattern(template: string): RegExp {
  const parts = template.replace(/^\/+|\/+$/g, '').split('/').map((segment) => {
    const optional = /^\{[^}]*\?\}$/.test(segment);
    if (/^\{\*[^}]*\}$/.test(segment)) return { re: '(?:/.*)?', optional: true };
    const re = segment.replace(/\{[^}]*\}|[^{}]+/g, (part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    return { re: `/${re}`, optional };
  });
  return new RegExp(`^${parts.map((p) => (p.optional ? `(?:${p.re})?` : p.re)).join('')}$`.replace('^/', '^'), 'i');
}

function describeRouting(hub: WebPubSubHub): string {
  const parts = hub.eventHandlers.map((h) => [...h.systemEvents, ...(h.userEventPattern !== undefined ? [`user:${h.userEventPattern}`] : [])].join(' ') || 'nothing');
  return parts.length > 0 ? parts.join('; ') : 'nothing';
}

import type { FunctionAppInsightsProps, IFunctionAppInsights } from './function-app-insights';

/** Options of {@link AppMonitoring.applicationInsights}: the component is placed with the app. */
export type ApplicationInsightsOptions = Omit<FunctionAppInsightsProps, 'resourceGroup'>;

/** What an {@link AppMonitoring} is: Application Insights (new or given), or none. */
export type AppMonitoringKind = 'ApplicationInsights' | 'Off';

/** The kinds, for the runtime check of JavaScript callers (who may pass a boolean or a plain object instead). */
export const APP_MONITORING_KINDS: readonly AppMonitoringKind[] = ['ApplicationInsights', 'Off'];

/**
 * Where a function app sends its telemetry. One choice instead of separate on/off, existing-component and
 * new-component props, so combinations that cannot work (monitoring off with a component given) cannot be written.
 */
export class AppMonitoring {
  /**
   * A new workspace-based Application Insights component (`FunctionAppInsights`) in the app's scope, resource group
   * and region, with Entra-only ingestion: the app writes `APPLICATIONINSIGHTS_CONNECTION_STRING` and
   * `APPLICATIONINSIGHTS_AUTHENTICATION_STRING` and its identity gets Monitoring Metrics Publisher on the component.
   * This is the default; without props: a new Log Analytics workspace (30 days retention, shared-key auth off),
   * component local auth off, the app's tags.
   * @param props - options of the component (`workspaceId`, `name`, `retentionInDays`, the local-auth opt-outs, `tags`)
   */
  public static applicationInsights(props: ApplicationInsightsOptions = {}): AppMonitoring {
    return new AppMonitoring('ApplicationInsights', undefined, props);
  }

  /**
   * An existing component, e.g. one shared by several apps: a `FunctionAppInsights` created elsewhere or
   * `FunctionAppInsights.fromFunctionAppInsightsAttributes(...)`. Nothing is created; the app gets the same settings
   * and the publisher role on it (once per principal).
   * @param insights - the component the app sends telemetry to
   */
  public static fromApplicationInsights(insights: IFunctionAppInsights): AppMonitoring {
    // TypeScript callers cannot get here without a component; JavaScript callers would otherwise get a new one silently.
    if (insights === undefined || insights === null || typeof insights !== 'object') {
      throw new TypeError('AppMonitoring.fromApplicationInsights(insights): `insights` must be an Application Insights component (FunctionAppInsights or FunctionAppInsights.fromFunctionAppInsightsAttributes(...))');
    }
    return new AppMonitoring('ApplicationInsights', insights, undefined);
  }

  /**
   * No monitoring (an opt-out): no component, no workspace, no `APPLICATIONINSIGHTS_*` settings and no role; the
   * app's own `appSettings` may then set `APPLICATIONINSIGHTS_*` themselves.
   */
  public static off(): AppMonitoring {
    return new AppMonitoring('Off', undefined, undefined);
  }

  /** Application Insights (new or given), or off. */
  public readonly kind: AppMonitoringKind;
  /** The given component (`fromApplicationInsights`); undefined when one is created or monitoring is off. */
  public readonly existingInsights?: IFunctionAppInsights;
  /** Options of the new component (`applicationInsights(props)`). */
  public readonly insightsProps?: ApplicationInsightsOptions;

  private constructor(kind: AppMonitoringKind, existingInsights: IFunctionAppInsights | undefined, insightsProps: ApplicationInsightsOptions | undefined) {
    this.kind = kind;
    this.existingInsights = existingInsights;
    this.insightsProps = insightsProps;
  }
}

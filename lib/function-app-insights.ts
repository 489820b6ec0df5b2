import { ApplicationInsights } from '@cdktf/provider-azurerm/lib/application-insights';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct } from 'constructs';
import { assignBuiltInRole, BuiltInRole, IRolePrincipal } from './built-in-role';
import { defaultResourceName } from './default-resource-name';
import {
  APPLICATION_INSIGHTS_NAME,
  LOG_ANALYTICS_WORKSPACE_NAME,
  validateAzureName,
} from './validation/azure-resource-names';
import { assertNotBoth, InvalidPropError } from './validation/invalid-prop-error';

/** Attributes of an existing Application Insights component. */
export interface ApplicationInsightsAttributes {
  /** ARM resource ID of the component. */
  readonly componentId: string;
  /** Its connection string (only the instrumentation key and endpoints: not a secret once local auth is off). */
  readonly connectionString: string;
}

/** Props of {@link FunctionAppInsights}. */
export interface FunctionAppInsightsProps {
  /** Resource group for new resources. */
  readonly resourceGroupName: string;
  /** Azure region for new resources. */
  readonly location: string;
  /**
   * Use this component instead of creating one.
   * @default - a workspace-based component is created
   */
  readonly existingApplicationInsights?: ApplicationInsightsAttributes;
  /**
   * Log Analytics workspace for a new component.
   * @default - a new workspace is created
   */
  readonly workspaceId?: string;
  /**
   * Name of the new component.
   * @default - derived deterministically from the construct path
   */
  readonly name?: string;
  /**
   * Retention of a new workspace, in days (30-730).
   * @default 30
   */
  readonly retentionInDays?: number;
  /**
   * Opt-out: accept instrumentation-key ingestion (local authentication) on the new component.
   * @default false
   */
  readonly localAuthenticationEnabled?: boolean;
  /**
   * Tags of new resources.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/**
 * Workspace-based Application Insights with Entra-only ingestion: the app authenticates with its identity
 * (`APPLICATIONINSIGHTS_AUTHENTICATION_STRING`) and holds Monitoring Metrics Publisher on the component.
 * Source: https://learn.microsoft.com/azure/azure-monitor/app/azure-ad-authentication and
 * https://learn.microsoft.com/azure/azure-functions/opentelemetry-howto (docs/azure-sources.md §7).
 */
export class FunctionAppInsights extends Construct {
  public readonly componentId: string;
  public readonly connectionString: string;
  /** Workspace ID (created or given); undefined for an existing component. */
  public readonly workspaceId?: string;
  public readonly resource?: ApplicationInsights;
  public readonly workspace?: LogAnalyticsWorkspace;

  public constructor(scope: Construct, id: string, props: FunctionAppInsightsProps) {
    super(scope, id);
    assertNotBoth(this, 'existingApplicationInsights', props.existingApplicationInsights, 'name', props.name);
    if (props.existingApplicationInsights) {
      this.componentId = props.existingApplicationInsights.componentId;
      this.connectionString = props.existingApplicationInsights.connectionString;
      return;
    }
    const retention = props.retentionInDays ?? 30;
    if (!Number.isInteger(retention) || retention < 30 || retention > 730) {
      throw new InvalidPropError(this, 'retentionInDays', retention, 'must be an integer between 30 and 730');
    }
    const name = props.name ?? defaultResourceName(this, APPLICATION_INSIGHTS_NAME, 'appi');
    validateAzureName(this, 'name', name, APPLICATION_INSIGHTS_NAME);
    if (props.workspaceId) {
      this.workspaceId = props.workspaceId;
    } else {
      const workspaceName = defaultResourceName(this, LOG_ANALYTICS_WORKSPACE_NAME, 'log');
      this.workspace = new LogAnalyticsWorkspace(this, 'Workspace', {
        name: workspaceName,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        sku: 'PerGB2018',
        retentionInDays: retention,
        tags: props.tags,
      });
      this.workspaceId = this.workspace.id;
    }
    this.resource = new ApplicationInsights(this, 'Resource', {
      name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      applicationType: 'web',
      workspaceId: this.workspaceId,
      localAuthenticationDisabled: !(props.localAuthenticationEnabled ?? false),
      tags: props.tags,
    });
    this.componentId = this.resource.id;
    this.connectionString = this.resource.connectionString;
  }

  /** Grants Monitoring Metrics Publisher on the component, required for Entra-authenticated ingestion. */
  public grantPublish(id: string, principal: IRolePrincipal): RoleAssignment {
    return assignBuiltInRole(this, id, BuiltInRole.MONITORING_METRICS_PUBLISHER, this.componentId, principal);
  }

  /** `APPLICATIONINSIGHTS_*` app settings for an app authenticating with a user-assigned (clientId) or system identity. */
  public appSettings(clientId?: string): Record<string, string> {
    return {
      APPLICATIONINSIGHTS_CONNECTION_STRING: this.connectionString,
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: clientId !== undefined ? `Authorization=AAD;ClientId=${clientId}` : 'Authorization=AAD',
    };
  }
}

import { ApplicationInsights } from '@cdktf/provider-azurerm/lib/application-insights';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct, IConstruct } from 'constructs';
import { BuiltInRole, IRolePrincipal } from '../iam/built-in-role';
import { defaultResourceName } from '../core/default-resource-name';
import { GrantTarget, grantRoleOnce } from '../iam/role-grants';
import { GrantableResource } from '../iam/grantable-resource';
import { ARM_RESOURCE_TYPES, validateArmResourceId } from '../validation/arm-ids';
import { APPLICATION_INSIGHTS_NAME, LOG_ANALYTICS_WORKSPACE_NAME, validateAzureName } from '../validation/azure-resource-names';
import { validateLogAnalyticsRetention } from '../validation/function-app-options';
import { InvalidPropError, isUnresolved } from '../validation/invalid-prop-error';
import { validateBoolean } from '../validation/literals';
import { validateTags } from '../validation/tags';
import { type IResourceGroup, validateResourceGroup } from '../core/resource-group';

/** An Application Insights component that apps send telemetry to with Entra ID, created here or imported. */
export interface IFunctionAppInsights extends GrantTarget {
  /** ARM resource ID of the component. */
  readonly componentId: string;
  /** Its connection string (only the instrumentation key and endpoints: not a secret once local auth is off). */
  readonly connectionString: string;
  /** Grants Monitoring Metrics Publisher on the component (once per principal), required for Entra ingestion. */
  grantPublish(grantee: IRolePrincipal, requester?: IConstruct): RoleAssignment;
  /** Grants any role on this component (only) to a principal, once per (role, principal). */
  grant(grantee: IRolePrincipal, role: BuiltInRole, requester?: IConstruct): RoleAssignment;
}

/** Attributes of an existing Application Insights component. */
export interface FunctionAppInsightsAttributes {
  /** ARM resource ID of the component. */
  readonly componentId: string;
  /** Its connection string. */
  readonly connectionString: string;
}

/** Props of {@link FunctionAppInsights}. */
export interface FunctionAppInsightsProps {
  /** Resource group (and region) for new resources: an azurerm `ResourceGroup`, or `{ name, location }`. */
  readonly resourceGroup: IResourceGroup;
  /**
   * Log Analytics workspace (ARM id) for the component.
   * @default - a new workspace is created
   */
  readonly workspaceId?: string;
  /**
   * Name of the component.
   * @default - derived from the construct path plus a per-deployment random suffix
   */
  readonly name?: string;
  /**
   * Retention of a new workspace, in days (30-730).
   * @default 30
   */
  readonly retentionInDays?: number;
  /**
   * Opt-out: accept instrumentation-key ingestion (local authentication) on the component.
   * @default false
   */
  readonly localAuthenticationEnabled?: boolean;
  /**
   * Opt-out: accept shared-key queries and ingestion on a new Log Analytics workspace.
   * @default false
   */
  readonly workspaceLocalAuthenticationEnabled?: boolean;
  /**
   * Tags of new resources.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

abstract class FunctionAppInsightsBase extends GrantableResource implements IFunctionAppInsights {
  protected constructor(scope: Construct, id: string) {
    super(scope, id);
  }

  public abstract readonly componentId: string;
  public abstract readonly connectionString: string;

  public get grantScopeId(): string {
    return this.componentId;
  }

  public grantPublish(grantee: IRolePrincipal, requester?: IConstruct): RoleAssignment {
    return grantRoleOnce(this, BuiltInRole.MONITORING_METRICS_PUBLISHER, grantee, requester);
  }
}

/**
 * Workspace-based Application Insights with Entra-only ingestion: apps authenticate with their identity
 * (`APPLICATIONINSIGHTS_AUTHENTICATION_STRING`) and hold Monitoring Metrics Publisher on the component; the new
 * workspace accepts Entra ID only as well.
 * Source: https://learn.microsoft.com/azure/azure-monitor/app/azure-ad-authentication and
 * https://learn.microsoft.com/azure/azure-monitor/logs/azure-ad-authentication-logs (docs/azure-sources.md §7).
 */
export class FunctionAppInsights extends FunctionAppInsightsBase {
  /** References an existing component; grants can still be added to it. */
  public static fromFunctionAppInsightsAttributes(scope: Construct, id: string, attrs: FunctionAppInsightsAttributes): IFunctionAppInsights {
    class Imported extends FunctionAppInsightsBase {
      public readonly componentId: string;
      public readonly connectionString = attrs.connectionString;
      public constructor() {
        super(scope, id);
        this.componentId = validateArmResourceId(this, 'componentId', attrs.componentId, ARM_RESOURCE_TYPES.APPLICATION_INSIGHTS);
        if (!isUnresolved(attrs.connectionString) && !/(^|;)\s*InstrumentationKey=[^;]+/i.test(String(attrs.connectionString))) {
          throw new InvalidPropError(this, 'connectionString', attrs.connectionString, 'must be the component\'s connection string (InstrumentationKey=...;IngestionEndpoint=...)');
        }
      }
    }
    return new Imported();
  }

  public readonly componentId: string;
  public readonly connectionString: string;
  /** Workspace ID (created or given). */
  public readonly workspaceId: string;
  /** The `azurerm_application_insights` resource (escape hatch). */
  public readonly resource: ApplicationInsights;
  /** The created workspace, when no `workspaceId` was given. */
  public readonly workspace?: LogAnalyticsWorkspace;

  public constructor(scope: Construct, id: string, props: FunctionAppInsightsProps) {
    super(scope, id);
    validateResourceGroup(this, props);
    validateLogAnalyticsRetention(this, 'retentionInDays', props.retentionInDays);
    validateBoolean(this, 'localAuthenticationEnabled', props.localAuthenticationEnabled);
    validateBoolean(this, 'workspaceLocalAuthenticationEnabled', props.workspaceLocalAuthenticationEnabled);
    validateTags(this, 'tags', props.tags);
    if (props.workspaceId !== undefined && props.retentionInDays !== undefined) {
      throw new InvalidPropError(this, 'retentionInDays', props.retentionInDays, 'applies to a new workspace only; set the retention on the workspace given as `workspaceId`');
    }
    const retention = props.retentionInDays ?? 30;
    const name = props.name ?? defaultResourceName(this, APPLICATION_INSIGHTS_NAME, 'appi');
    validateAzureName(this, 'name', name, APPLICATION_INSIGHTS_NAME);
    if (props.workspaceId !== undefined) {
      this.workspaceId = validateArmResourceId(this, 'workspaceId', props.workspaceId, ARM_RESOURCE_TYPES.LOG_ANALYTICS_WORKSPACE);
    } else {
      this.workspace = new LogAnalyticsWorkspace(this, 'Workspace', {
        name: defaultResourceName(this, LOG_ANALYTICS_WORKSPACE_NAME, 'log'),
        resourceGroupName: props.resourceGroup.name,
        location: props.resourceGroup.location,
        sku: 'PerGB2018',
        retentionInDays: retention,
        localAuthenticationEnabled: props.workspaceLocalAuthenticationEnabled ?? false,
        tags: props.tags,
      });
      this.workspaceId = this.workspace.id;
    }
    this.resource = new ApplicationInsights(this, 'Resource', {
      name,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
      applicationType: 'web',
      workspaceId: this.workspaceId,
      localAuthenticationDisabled: !(props.localAuthenticationEnabled ?? false),
      tags: props.tags,
    });
    this.componentId = this.resource.id;
    this.connectionString = this.resource.connectionString;
  }
}

/** `APPLICATIONINSIGHTS_AUTHENTICATION_STRING` for an app authenticating with a user-assigned (clientId) or system identity. */
export function insightsAuthenticationString(clientId: string | undefined): string {
  return clientId !== undefined ? `Authorization=AAD;ClientId=${clientId}` : 'Authorization=AAD';
}

import { ITerraformDependable, Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { APPLY_STEP_ENV } from '../common/apply-step-env';
import { ApplyTimeCommand } from '../core/apply-time-command';
import { LibraryConstruct } from '../core/edition-guard';
import { InvalidPropError, isUnresolved } from '../validation/invalid-prop-error';
import { registerReplicaApproval } from '../webpubsub/replica-approvals';
import { registerUpstreamPrerequisite } from '../webpubsub/upstream-prerequisites';
import { ISharedPrivateLink, replicaCopyOf, WebPubSubSharedPrivateLink } from '../webpubsub/web-pubsub-shared-private-link';
import type { IWebPubSubFunctionApp } from './web-pubsub-function-app';

/** Props of {@link SharedPrivateLinkApproval}. */
export interface SharedPrivateLinkApprovalProps {
  /** The app the links target. */
  readonly functionApp: IWebPubSubFunctionApp;
  /**
   * The links to approve. A `WebPubSubSharedPrivateLink` brings its copies on the service's geo-replicas (each needs
   * its own approval), those added later with `addReplica` too; give copies yourself (`link.forReplica`) only for
   * replicas the library does not know of. More can be added with `addSharedPrivateLink`.
   * @default - none yet
   */
  readonly sharedPrivateLinks?: ISharedPrivateLink[];
}

/**
 * Approves, on a function app, the private endpoint connections that Web PubSub shared private links request, at
 * apply time (`cdktf-azure-webpubsub approve-private-links`, after the links and the app exist), and waits until each
 * link reports `Approved`. Hubs of the links' services that call this app wait for it, so their first save (the
 * service validates the URL through the link) succeeds.
 *
 * Why an apply-time step rather than an azapi resource: the connection is created by the platform when the link is, so
 * its name is unknown at plan time and it appears some time after the link; an azapi update needs its id at plan (a
 * list read at plan sees nothing on the first apply, and Terraform cannot wait or retry a lookup). The step lists the
 * app's connections through ARM until the one carrying the link's request message appears, PUTs the approval
 * (`az network private-endpoint-connection approve` does the same: Learn "Secure outbound traffic through shared
 * private endpoints"), approves nothing it cannot attribute to a link, and waits for the service to see the approval.
 *
 * Replicas: the service copies each link to every geo-replica
 * (`Microsoft.SignalRService/webPubSub/replicas/sharedPrivateLinkResources`), and each copy's connection needs its own
 * approval, and Microsoft's geo-replication guide says not to enable a replica until then (Learn "Geo-replication in
 * Azure Web PubSub", non-inherited configurations). For a `WebPubSubSharedPrivateLink` of a `WebPubSubService` with
 * replicas (given or added with `addReplica`, before or after this construct), this step also approves each replica's
 * copy, runs after the replicas exist (their copies appear only then) and again when one is added (its list changes);
 * each replica is created with `regionEndpointEnabled` `Disabled` and enabled by an update after this step
 * (`WebPubSubReplica.regionEndpointEnabler`), unless it was asked to stay disabled. Replicas the library does not know
 * of (an imported service's): give their copies (`link.forReplica(id, replicaName)`) and enable them yourself after
 * this construct.
 */
export class SharedPrivateLinkApproval extends LibraryConstruct implements ITerraformDependable {
  /** The apply-time step (escape hatch). */
  public readonly step: ApplyTimeCommand;
  private readonly links: ISharedPrivateLink[] = [];
  private readonly functionApp: IWebPubSubFunctionApp;

  public constructor(scope: Construct, id: string, props: SharedPrivateLinkApprovalProps) {
    super(scope, id);
    this.functionApp = props.functionApp;
    // Comma-separated (ARM ids hold no comma): a JSON array holding references would need quotes inside an
    // interpolated string, which `cdktf synth --hcl` does not escape.
    const ids = Lazy.stringValue({ produce: () => this.links.map((l) => l.sharedPrivateLinkId).join(',') });
    this.step = new ApplyTimeCommand(this, 'Approve', {
      subcommand: 'approve-private-links',
      environment: {
        [APPLY_STEP_ENV.appId]: props.functionApp.appId,
        [APPLY_STEP_ENV.sharedPrivateLinks]: ids,
      },
      // A new link is approved anew; so is a replaced link or app: a link's id is made of names, so it is the same after
      // a replacement, but Terraform plans it as unknown while the link is being replaced, which replaces this step too
      // (a replica's copy is listed by the service's id and the link's name, and re-run with the primary's link).
      triggers: { function_app_id: props.functionApp.appId, shared_private_links: ids },
      dependsOn: [],
    });
    this.node.addValidation({
      validate: () => (this.links.length === 0 ? [`${this.node.path}: \`sharedPrivateLinks\` is empty: give the approval the links to approve (or remove it)`] : []),
    });
    for (const link of props.sharedPrivateLinks ?? []) this.addSharedPrivateLink(link);
  }

  /**
   * Adds a link to approve (the service's or a replica's). Hubs of its service that call the app then wait for the
   * approval.
   */
  public addSharedPrivateLink(link: ISharedPrivateLink): void {
    if (this.links.includes(link)) return;
    const [target, app] = [link.targetResourceId, this.functionApp.appId];
    if (!isUnresolved(target) && !isUnresolved(app) && target.toLowerCase() !== app.toLowerCase()) {
      throw new InvalidPropError(this, 'sharedPrivateLinks', link.node.path, `targets ${link.targetResourceId}, not the app ${this.functionApp.node.path} this approval is for`);
    }
    // The step's environment references the link's id and the app's, so Terraform runs it after both exist.
    this.links.push(link);
    registerUpstreamPrerequisite(link.service, this.functionApp, this);
    // The service's replicas (now and added later) have copies of the link: approve them here, enable them after.
    if (link instanceof WebPubSubSharedPrivateLink) {
      registerReplicaApproval(link.service, { link, approval: this, coverReplica: (replica) => this.addSharedPrivateLink(replicaCopyOf(link, replica)) });
    }
  }

  /** The links this step approves. */
  public get sharedPrivateLinks(): readonly ISharedPrivateLink[] {
    return [...this.links];
  }

  /** The step's Terraform address, so that resources can depend on the approval (e.g. a replica's region endpoint). */
  public get fqn(): string {
    return this.step.fqn;
  }
}

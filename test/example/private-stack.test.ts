import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { ChatStack } from '../../examples/chat/main';

// examples/chat/private.ts (`npm run synth:private`: ChatStack's private variant), synthesized for real.
describe('examples/chat ChatStack, private variant', () => {
  const app = Testing.app();
  const stack = new ChatStack(app, 'chat-private', { location: 'westeurope', variant: 'private' });
  app.synth();
  const dir = path.join(app.outdir, 'stacks', 'chat-private');
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
  const only = (type: string) => {
    const values = Object.values(json.resource[type] ?? {}) as any[];
    expect(values).toHaveLength(1);
    return values[0];
  };

  test('the service behind its endpoint, public for clients only; the Flex app integrated with the network', () => {
    expect(only('azurerm_private_endpoint').private_service_connection.subresource_names).toEqual(['webpubsub']);
    expect(only('azurerm_private_dns_zone').name).toBe('privatelink.webpubsub.azure.com');
    expect(only('azurerm_web_pubsub_network_acl')).toMatchObject({ default_action: 'Deny', public_network: { allowed_request_types: ['ClientConnection'] } });
    expect(only('azurerm_web_pubsub').public_network_access_enabled).toBe(true);
    const site = Object.values(json.resource.azapi_resource).find((r: any) => String(r.type).startsWith('Microsoft.Web/sites@')) as any;
    expect(site.body.properties.virtualNetworkSubnetId).toMatch(/^\$\{azurerm_subnet\./);
    // The app itself stays public (the hub calls its webhook, browsers load negotiate and the page).
    expect(site.body.properties.publicNetworkAccess).toBe('Enabled');
    expect(stack.topology.functionApp.virtualNetworkSubnet).toBe(stack.topology.network?.appSubnet);
    expect(JSON.stringify(json)).not.toContain(process.cwd());
  });

  // Terraform parses the configuration (as test/core/terraform-config.test.ts does for the other stacks): with an empty
  // provider mirror, provider installation must be the only error. Skipped where no `terraform` is installed.
  const hasTerraform = spawnSync('terraform', ['version'], { stdio: 'ignore' }).status === 0;
  (hasTerraform ? test : test.skip)('terraform init parses the configuration (only provider installation fails offline)', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-private-'));
    try {
      fs.writeFileSync(path.join(work, 'terraformrc'), `provider_installation {\n  filesystem_mirror {\n    path = "${path.join(work, 'mirror')}"\n  }\n}\n`);
      const tf = path.join(work, 'tf');
      fs.mkdirSync(tf);
      fs.copyFileSync(path.join(dir, 'cdk.tf.json'), path.join(tf, 'cdk.tf.json'));
      const result = spawnSync('terraform', ['init', '-backend=false', '-input=false', '-no-color'], {
        cwd: tf,
        encoding: 'utf8',
        env: { ...process.env, TF_CLI_CONFIG_FILE: path.join(work, 'terraformrc'), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' },
      });
      const errors = [...`${result.stdout}\n${result.stderr}`.matchAll(/^Error: (.+)$/gm)].map((m) => m[1]);
      expect([...new Set(errors)]).toEqual(['Failed to query available provider packages']);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});

/**
 * P7 deploy graph: the longest chain a first `terraform apply` of the example walks, from its cdk.tf.json
 * (bench/deploy-graph.ts: explicit depends_on plus `${...}` references), in slow steps (typically a minute or more)
 * and estimated seconds (the table in deploy-graph.ts). Compared with the naive baseline (bench/naive/), which keeps
 * the wiring the library had before the service came off the app's path: the app's `serviceUri` read from the
 * service's `hostname` and the site after every role of its identity, the Service Owner one included. Goal: the
 * service is not on the app's chain, and at most 5 slow steps. The synths are not timed (P1 does that).
 */
import * as fs from 'fs';
import * as path from 'path';
import { runNode, verdict, type BenchContext, type MetricResult } from './bench-context';
import { deployGraph, shortName, summarizeDeployGraph, SLOW_STEP_SECONDS, type DeployGraphSummary } from './deploy-graph';

/** The goal of the line. */
export function deployGraphGoalMet(s: DeployGraphSummary): boolean {
  return !s.serviceOnAppChain && s.critical.slowSteps <= 5;
}

export function measureDeployGraph(ctx: BenchContext): MetricResult {
  const outdir = (name: string): string => {
    const dir = path.join(ctx.workDir, 'p7', name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    return dir;
  };
  const ours = runNode(ctx.mirror.js('bench/programs/synth-chat.ts'), ['--root', ctx.mirror.root, '--stack', ctx.app === 'example' ? 'chat' : 'replica', '--app', ctx.app, '--outdir', outdir('ours')], { cwd: ctx.workDir });
  const naive = runNode(ctx.mirror.js('bench/naive/synth-naive.ts'), ['--root', ctx.mirror.root, '--app', ctx.app, '--outdir', outdir('naive')], { cwd: ctx.workDir });
  const read = (r: typeof ours) => JSON.parse(fs.readFileSync(String(r.output.cdkTfJson), 'utf8')) as Record<string, unknown>;
  const docs = { ours: read(ours), naive: read(naive) };
  const summaries = { ours: summarizeDeployGraph(docs.ours), naive: summarizeDeployGraph(docs.naive) };
  const chain = (which: 'ours' | 'naive'): string => {
    const graph = deployGraph(docs[which]);
    return summaries[which].critical.chain.map((a) => `${shortName(graph, a)}${graph.steps.get(a)!.slow ? '*' : ''}`).join(' → ');
  };
  const describe = (s: DeployGraphSummary): string =>
    `${s.critical.slowSteps} slow steps, ~${s.critical.seconds} s (app's chain ~${s.appChain.seconds} s, service ${s.serviceOnAppChain ? 'on it' : 'not on it'})`;
  const met = deployGraphGoalMet(summaries.ours);
  return {
    id: 'P7',
    title: 'deploy graph: longest chain of a first apply (slow steps, estimated seconds)',
    unit: 'slow steps',
    goal: 'the service is not on the app\'s chain; <= 5 slow steps',
    met,
    lines: [
      `P7 deploy graph ours ${describe(summaries.ours)}  baseline(naive, previous wiring) ${describe(summaries.naive)}  ` +
        `goal service off the app's chain, <= 5 slow steps: ${verdict(met)}`,
      `   chain        ours ${chain('ours')}  |  baseline ${chain('naive')}  (* = slow, >= ${SLOW_STEP_SECONDS} s; estimates in bench/deploy-graph.ts, refine with npm run e2e)`,
    ],
    details: {
      ours: { ...summaries.ours.critical, appChainSeconds: summaries.ours.appChain.seconds, serviceOnAppChain: summaries.ours.serviceOnAppChain },
      naive: { ...summaries.naive.critical, appChainSeconds: summaries.naive.appChain.seconds, serviceOnAppChain: summaries.naive.serviceOnAppChain },
    },
  };
}

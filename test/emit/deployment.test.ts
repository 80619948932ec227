/**
 * The emitted project's deployment files (issue 14), read as Docker Compose and Kubernetes would:
 * the port, the health path, the Redis URL and the listening address agree with the server.
 * Docker is not needed: the files are parsed and checked against what the runtime serves.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { DEFAULT_PORT, parseStartOptions } from '../../templates/runtime/startup';

const PROJECT = path.join(process.cwd(), 'generated', 'secure');
const HEALTH = '/__mockgen/health';

function yamlDocs(file: string): any[] {
  return fs
    .readFileSync(path.join(PROJECT, file), 'utf8')
    .split(/^---$/m)
    .map((doc) => load(doc) as any);
}

describe('emit: deployment files (Dockerfile, compose.yaml, k8s/)', () => {
  it('the Dockerfile is multi-stage, non-root, installs with npm ci --omit=dev, listens on 0.0.0.0 and checks health', () => {
    const docker = fs.readFileSync(path.join(PROJECT, 'Dockerfile'), 'utf8');
    assert.equal(docker.match(/^FROM /gm)?.length, 2);
    assert.match(docker, /npm ci --omit=dev/);
    assert.match(docker, /^USER node$/m);
    assert.match(docker, new RegExp(`HOST=0\\.0\\.0\\.0 PORT=${DEFAULT_PORT}`));
    assert.match(docker, new RegExp(`^EXPOSE ${DEFAULT_PORT}$`, 'm'));
    assert.match(docker, new RegExp(`HEALTHCHECK[^\\n]*\\n[^\\n]*${HEALTH}`));
  });

  it('compose.yaml: replicas of the mock on Redis behind a load balancer, settings the server accepts', () => {
    const [compose] = yamlDocs('compose.yaml');
    const mock = compose.services.mock;
    assert.ok(mock.deploy.replicas >= 2);
    const env = mock.environment as Record<string, string>;
    const options = parseStartOptions([], env);
    assert.equal(options.host, '0.0.0.0');
    assert.equal(options.port, DEFAULT_PORT);
    assert.equal(options.store, 'redis://redis:6379');
    assert.ok(compose.services.redis.image.startsWith('redis:'));
    assert.deepEqual(mock.expose, [String(DEFAULT_PORT)]);
    assert.ok(mock.healthcheck.test.join(' ').includes(`127.0.0.1:${DEFAULT_PORT}${HEALTH}`));
    assert.equal(mock.depends_on.redis.condition, 'service_healthy');
    const nginx = compose.configs.nginx.content as string;
    assert.match(nginx, new RegExp(`server mock:${DEFAULT_PORT};`));
    assert.ok(compose.services.lb.configs.some((c: { source: string }) => c.source === 'nginx'));
  });

  it('k8s/: a Deployment with replicas, probes on the health path, a Service, and the Redis it names', () => {
    const docs = [...yamlDocs('k8s/mock.yaml'), ...yamlDocs('k8s/redis.yaml')];
    const deployment = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'mock');
    assert.ok(deployment.spec.replicas >= 2);
    const container = deployment.spec.template.spec.containers[0];
    const env = Object.fromEntries(
      (container.env as { name: string; value: string }[]).map((e) => [e.name, e.value]),
    );
    const options = parseStartOptions([], env);
    assert.equal(options.host, '0.0.0.0');
    assert.equal(container.ports[0].containerPort, options.port);
    assert.equal(container.readinessProbe.httpGet.path, HEALTH);
    assert.equal(container.livenessProbe.httpGet.path, HEALTH);
    assert.equal(deployment.spec.template.spec.securityContext.runAsNonRoot, true);
    const service = docs.find((d) => d.kind === 'Service' && d.metadata.name === 'mock');
    assert.deepEqual(service.spec.selector, deployment.spec.selector.matchLabels);
    const redisUrl = new URL(options.store);
    const redis = docs.find((d) => d.kind === 'Service' && d.metadata.name === redisUrl.hostname);
    assert.ok(redis, `a Service named ${redisUrl.hostname}`);
    assert.equal(redis.spec.ports[0].port, Number(redisUrl.port));
    const redisDeployment = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'redis');
    assert.deepEqual(redis.spec.selector, redisDeployment.spec.selector.matchLabels);
  });
});

/**
 * The load balancer of `npm run team:local`: round-robin over the instances, one TCP connection
 * at a time (node:net, so streaming and keep-alive pass through untouched). A connection an
 * instance refuses is tried on the next one, so a stopped instance costs no failed request.
 * Compose uses nginx for the same job (deploy/nginx.conf).
 */
import { connect, createServer } from 'node:net';

/**
 * @param {{ host?: string, port: number, upstreams: Array<{ host: string, port: number }> }} options
 * @returns {Promise<{ port: number, close(): Promise<void> }>}
 */
export function startLoadBalancer({ host = '127.0.0.1', port, upstreams }) {
  if (upstreams.length === 0) throw new Error('the load balancer needs at least one upstream');
  let next = 0;
  const sockets = new Set();

  function forward(client, tries) {
    const upstream = upstreams[next % upstreams.length];
    next = (next + 1) % upstreams.length;
    const server = connect(upstream.port, upstream.host);
    sockets.add(server);
    server.once('close', () => sockets.delete(server));
    let connected = false;
    server.once('connect', () => {
      connected = true;
      client.pipe(server);
      server.pipe(client);
      client.resume();
    });
    server.on('error', () => {
      // Refused before anything was sent: the next instance gets it; otherwise the client's connection ends.
      if (!connected && tries + 1 < upstreams.length) return forward(client, tries + 1);
      client.destroy();
    });
    client.on('error', () => server.destroy());
    client.once('close', () => server.destroy());
  }

  const balancer = createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    forward(client, 0);
  });
  return new Promise((resolve, reject) => {
    balancer.once('error', reject);
    balancer.listen(port, host, () => {
      balancer.off('error', reject);
      resolve({
        port: balancer.address().port,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            balancer.close(() => done());
          }),
      });
    });
  });
}

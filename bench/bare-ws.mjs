// The RSS baseline: a bare Node process holding one WebSocket connection to the bench gateway (the `ws` package,
// the protocol-4 handshake, nothing else), measured in the same run as the product. Config: argv[2] JSON
// {gatewayUrl, token, holdMs}; prints one JSON line.
import { WebSocket } from 'ws';

const cfg = JSON.parse(process.argv[2]);
const ws = new WebSocket(cfg.gatewayUrl.replace(/^http/, 'ws'));
const connected = new Promise((resolve, reject) => {
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    if (frame.type === 'event' && frame.event === 'connect.challenge') {
      const client = { id: 'gateway-client', version: 'bench-bare', platform: process.platform, mode: 'backend' };
      ws.send(JSON.stringify({ type: 'req', id: '1', method: 'connect', params: { minProtocol: 4, maxProtocol: 4, client, role: 'operator', scopes: ['operator.read'], auth: { token: cfg.token } } }));
    } else if (frame.type === 'res' && frame.id === '1') {
      if (frame.ok) resolve();
      else reject(new Error(frame.error?.message));
    }
  });
  ws.on('error', reject);
});
await connected;
await new Promise((r) => setTimeout(r, cfg.holdMs ?? 1000));
const m = process.memoryUsage();
process.stdout.write(`${JSON.stringify({ rssMB: m.rss / 1048576, heapUsedMB: m.heapUsed / 1048576 })}\n`);
ws.close();
process.exit(0);

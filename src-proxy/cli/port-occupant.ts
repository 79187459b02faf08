/**
 * When the port is taken, say by what: a real Ollama answers /api/version, another Switchboard
 * answers /health with its name. Best effort, with a short timeout; never throws.
 */
import { request } from 'undici';

export async function describePortOccupant(host: string, port: number): Promise<string> {
  const base = `http://${host === '::1' ? '[::1]' : host}:${port}`;
  try {
    const response = await request(`${base}/api/version`, { headersTimeout: 1500, bodyTimeout: 1500 });
    const text = await response.body.text();
    if (response.statusCode === 200 && /"version"/.test(text)) {
      return `A real Ollama seems to be running on port ${port} (${text.trim()}). Give Switchboard another port (e.g. --port ${port + 1}) and add that Ollama as a provider: { "id": "ollama", "kind": "ollama", "baseUrl": "${base}" }.`;
    }
    const health = await request(`${base}/health`, { headersTimeout: 1500, bodyTimeout: 1500 });
    if (health.statusCode === 200 && /"status":"ok"/.test(await health.body.text())) {
      return `Another Switchboard seems to be running on port ${port}. Stop it first, or use another port.`;
    }
  } catch {
    // Not HTTP, or not answering: nothing more to say than the port number.
  }
  return `Find the program with: lsof -i :${port} (macOS/Linux) or netstat -ano | findstr :${port} (Windows).`;
}

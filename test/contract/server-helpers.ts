/** Helpers of the server contract suites. */

/** Creates an API key through the REST API with an admin key; returns the raw key. */
export async function createKey(url: string, adminKey: string, name: string, role: 'viewer' | 'editor' | 'admin'): Promise<string> {
  const res = await fetch(`${url}/api/v1/api_keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, role }),
  });
  if (res.status !== 201) throw new Error(`creating key "${name}": ${res.status} ${await res.text()}`);
  return ((await res.json()) as { key: string }).key;
}

// The API client: the key from localStorage on every request; errors carry the API's code.
export const keyStore = {
  get: () => localStorage.getItem('cw.key'),
  set: (k) => localStorage.setItem('cw.key', k),
  clear: () => localStorage.removeItem('cw.key'),
};

export class ApiFailure extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
  }
}

async function request(path, { method = 'GET', body } = {}) {
  const headers = { authorization: `Bearer ${keyStore.get() ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new ApiFailure(res.status, await res.json().catch(() => null));
  return res;
}

export const api = {
  get: async (path, query = {}) => {
    const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== ''));
    return (await request(q.size ? `${path}?${q}` : path)).json();
  },
  post: async (path, body) => (await request(path, { method: 'POST', body })).json(),
  /** An evidence image as an object URL (an <img> cannot send the key itself). */
  image: async (path) => URL.createObjectURL(await (await request(path)).blob()),
};

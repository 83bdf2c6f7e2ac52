// The only way the explorer talks to the server: this server's JSON API and /sparql.
export class ApiError extends Error {
  constructor(message, status, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** A URL of this server with the given query parameters (arrays repeat, empties are left out). */
export function apiUrl(path, params = {}) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(params)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one !== null && one !== undefined && one !== "") url.searchParams.append(name, one);
    }
  }
  return url.pathname + url.search;
}

async function failure(response) {
  const text = await response.text();
  let message = `${response.status} ${response.statusText}`;
  let body = null;
  try {
    body = JSON.parse(text);
    if (body && body.error && body.error.message) message = body.error.message;
  } catch (_) {
    if (text.trim()) message = text.trim();
  }
  return new ApiError(message, response.status, body);
}

async function send(url, options) {
  let response;
  try {
    response = await fetch(url, options);
  } catch (error) {
    throw new ApiError("The server cannot be reached: is kg serve still running?", 0, null);
  }
  if (!response.ok) throw await failure(response);
  return response;
}

export async function getJSON(path, params = {}) {
  const response = await send(apiUrl(path, params), { headers: { Accept: "application/json" } });
  return response.json();
}

/** Run a SPARQL query: SELECT/ASK answer SPARQL JSON results, CONSTRUCT/DESCRIBE JSON-LD. */
export async function sparql(text) {
  const response = await send("/sparql", {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Accept: "application/sparql-results+json, application/ld+json;q=0.9",
    },
    body: new URLSearchParams({ query: text }),
  });
  const type = response.headers.get("Content-Type") || "";
  return { kind: type.includes("ld+json") ? "graph" : "table", data: await response.json() };
}

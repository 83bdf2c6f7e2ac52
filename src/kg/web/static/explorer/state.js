// The view's state, kept in the URL so that a view can be shared and the back button works.
const LISTS = ["type"];
const KEYS = ["view", "as_of", "reported_by", "source", "type", "node", "edge", "from", "to",
              "hops", "path", "period"];

export function emptyState() {
  return { view: "actors", as_of: "", reported_by: "", source: "", type: [], node: "",
           edge: "", from: "", to: "", hops: "", path: "", period: "" };
}

export function readState(search = window.location.search) {
  const params = new URLSearchParams(search);
  const state = emptyState();
  for (const key of KEYS) {
    if (LISTS.includes(key)) state[key] = params.getAll(key);
    else state[key] = params.get(key) || state[key];
  }
  return state;
}

export function stateQuery(state) {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = state[key];
    if (Array.isArray(value)) value.forEach((v) => params.append(key, v));
    else if (value && !(key === "view" && value === "actors")) params.set(key, value);
  }
  const text = params.toString();
  return text ? "?" + text : "";
}

/** Record the state in the URL: a new history entry (push) or the current one replaced. */
export function writeState(state, { push = true } = {}) {
  // (absolute: a path that starts "//", as in http://host//?from=…, would read as a host)
  const url = window.location.origin + window.location.pathname + stateQuery(state);
  if (url === window.location.origin + window.location.pathname + window.location.search) {
    return;
  }
  if (push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
}

/** The filters of the API (view, as_of, reported_by, source, type). */
export function filterParams(state) {
  return { view: state.view, as_of: state.as_of, reported_by: state.reported_by,
           source: state.source, type: state.type };
}
